"""layerwise.bench"""
