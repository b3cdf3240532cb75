package org.cnn4j.cuda;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/** Marks a test class that needs a CUDA GPU: tagged "gpu", skipped with one line when CUDA is unavailable. */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@Tag("gpu")
@ExtendWith(CudaAvailableCondition.class)
public @interface RequiresCuda {
}
