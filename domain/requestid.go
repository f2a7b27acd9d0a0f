package domain

// RequestIDKey is the key of the request id in a workflow's context: the Temporal context
// propagator (package reqid) puts the id of the request that started the workflow or sent
// an Update there, and the workflow clears it for what it does on its own. It is here, at
// the bottom of the imports, so the workflow package can name it.
type RequestIDKey struct{}
