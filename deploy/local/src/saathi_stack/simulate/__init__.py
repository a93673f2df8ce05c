"""A month of a hospital network replayed through the platform, with its ground truth."""
