"""Build and publish the warehouse from the raw exports (`monev run`, `monev build`)."""
