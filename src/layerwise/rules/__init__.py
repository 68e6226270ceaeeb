"""layerwise.rules"""
