"""layerwise.context"""
