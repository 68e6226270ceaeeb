"""The rules of `layerwise ci check` (LW9xx): one module each, registered in
`layerwise.rules.registry.PIPELINE_RULE_MODULES`."""
