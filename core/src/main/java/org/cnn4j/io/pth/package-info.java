/**
 * PyTorch weights files ({@code torch.save} output, zip or legacy format) read as data: a restricted unpickler
 * interprets opcodes and may name only the globals listed in {@link org.cnn4j.io.pth.AllowedGlobal}, so no model
 * file ever runs code; zip directories and storage references are checked against the file before anything is
 * read ({@link org.cnn4j.io.pth.PthFile}).
 */
package org.cnn4j.io.pth;
