"""layerwise.fix"""
