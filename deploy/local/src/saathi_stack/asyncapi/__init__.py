"""The event catalogue generated from the code: AsyncAPI 3.0 and its readable page
(`saathi asyncapi` writes them to docs/events/, `saathi asyncapi --check` compares)."""
