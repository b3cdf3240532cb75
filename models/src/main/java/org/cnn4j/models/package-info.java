/**
 * The model zoo, layer for layer and key for key as torchvision's (AlexNet, VGG, ResNet, ResNeXt, Wide ResNet)
 * plus the small CIFAR ResNets, LeNet-5 and the default Fashion-MNIST CNN; {@link org.cnn4j.models.ModelRegistry}
 * by name, {@link org.cnn4j.models.ModelHeads} for fine-tuning, {@link org.cnn4j.models.ModelSummary} on the
 * shape-only backend.
 */
package org.cnn4j.models;
