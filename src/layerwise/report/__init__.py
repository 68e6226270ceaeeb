"""layerwise.report"""
