"""layerwise.ecosystems"""
