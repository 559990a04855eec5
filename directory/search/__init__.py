"""Search the directory: query objects, the Whoosh index, facets and the engine."""
