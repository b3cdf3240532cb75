/**
 * The host-side data pipeline: {@link org.cnn4j.data.Dataset}s of CHW float images with int labels
 * (pixel values as read, 0..255), readers for IDX ({@link org.cnn4j.data.IdxReader}), CIFAR-10 binary
 * ({@link org.cnn4j.data.Cifar10}) and image folders ({@link org.cnn4j.data.ImageFolderDataset}),
 * seeded {@link org.cnn4j.data.Transform}s, the prefetching {@link org.cnn4j.data.DataLoader}, and the
 * Fashion-MNIST source resolution in {@link org.cnn4j.data.FashionMnist}. Nothing here touches a backend.
 */
package org.cnn4j.data;
