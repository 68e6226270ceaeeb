"""layerwise.shell"""
