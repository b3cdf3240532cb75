package org.cnn4j.cli;

import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/** Prints a failure as one line ("cnn train: message"); the stack trace only with {@code --verbose}. */
final class FailureHandler implements IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception ex, CommandLine cl, ParseResult parsed) {
        ParseResult own = cl.getParseResult();
        boolean verbose = own != null && own.hasMatchedOption("--verbose");
        String where = cl.getCommandName();
        cl.getErr().println("cnn " + where + ": " + message(ex));
        if (verbose) {
            ex.printStackTrace(cl.getErr());
        }
        cl.getErr().flush();
        return 1;
    }

    /**
     * The text to show for {@code ex}. The JDK's file-system exceptions carry only the path as their message
     * (a missing file reads "runs/x/last.safetensors"), so for those the problem is spelled out.
     */
    static String message(Throwable ex) {
        Throwable t = ex instanceof UncheckedIOException && ex.getCause() != null ? ex.getCause() : ex;
        if (t instanceof FileSystemException fse) {
            String problem = fse.getReason() != null ? fse.getReason() : problem(fse);
            String file = fse.getFile() == null ? "" : fse.getFile();
            String other = fse.getOtherFile() == null ? "" : " -> " + fse.getOtherFile();
            return file + other + ": " + problem;
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    private static String problem(FileSystemException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file or folder";
        } else if (e instanceof AccessDeniedException) {
            return "permission denied";
        } else if (e instanceof FileAlreadyExistsException) {
            return "already exists";
        } else if (e instanceof NotDirectoryException) {
            return "not a folder";
        } else if (e instanceof DirectoryNotEmptyException) {
            return "folder not empty";
        }
        return e.getClass().getSimpleName();
    }
}
