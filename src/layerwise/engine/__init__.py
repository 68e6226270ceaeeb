"""layerwise.engine"""
