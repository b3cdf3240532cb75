# cnn4j with the CUDA backend.
#   docker build -t cnn4j .
#   docker run --gpus all --rm -v "$PWD/data:/data" cnn4j train --data /data/fashion-mnist
# The runtime base has exactly what the CUDA backend needs: CUDA 12.6 runtime with libcublas.so.12 and
# cuDNN 9 (libcudnn.so.9); the host needs an NVIDIA driver >= 525 and the NVIDIA container toolkit.

FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY . .
RUN ./mvnw -B -DskipTests package

FROM nvidia/cuda:12.6.3-cudnn-runtime-ubuntu22.04
RUN apt-get update \
    && apt-get install -y --no-install-recommends openjdk-17-jre-headless \
    && rm -rf /var/lib/apt/lists/*
COPY --from=build /src/cli/target/cnn.jar /opt/cnn4j/cnn.jar
# JCuda's JNI libraries are extracted here (a private, writable directory) instead of /tmp
ENV CNN4J_CUDA_NATIVE_DIR=/opt/cnn4j/natives \
    CNN4J_BACKEND=cuda
RUN mkdir -p /opt/cnn4j/natives && chmod 1777 /opt/cnn4j/natives
WORKDIR /work
# jdk.incubator.vector enables the CPU backend's Vector API kernels (it falls back to scalar ones without it)
ENTRYPOINT ["java", "--add-modules", "jdk.incubator.vector", "-jar", "/opt/cnn4j/cnn.jar"]
CMD ["--help"]
