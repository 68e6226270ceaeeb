"""layerwise.model"""
