"""layerwise.syntax"""
