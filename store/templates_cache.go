package store

import (
	"context"
	"sync"
	"time"
)

// Every notification is written with the texts in force, so they are read often and
// change seldom: each process keeps them a few seconds. A version saved through this
// process is seen at once; one saved by another process (the admin's page runs in the
// API, the Notify activity in the worker) within TemplatesTTL.

// TemplatesTTL is how long a process reuses the texts it read.
const TemplatesTTL = 5 * time.Second

type templateCache struct {
	mu      sync.Mutex
	v       TemplateVersion
	fetched time.Time
}

// templateCaches holds one cache per *DB (a process has one; tests open several), since
// DB's own fields are not this file's to add to.
var templateCaches sync.Map

func (db *DB) templateCache() *templateCache {
	if c, ok := templateCaches.Load(db); ok {
		return c.(*templateCache)
	}
	c, _ := templateCaches.LoadOrStore(db, &templateCache{})
	return c.(*templateCache)
}

// TemplatesInForce is CurrentTemplates, read at most every TemplatesTTL. Its maps are
// shared: read them, do not change them.
func (db *DB) TemplatesInForce(ctx context.Context) (TemplateVersion, error) {
	c := db.templateCache()
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.fetched.IsZero() && time.Since(c.fetched) < TemplatesTTL {
		return c.v, nil
	}
	v, err := db.CurrentTemplates(ctx)
	if err != nil {
		return v, err
	}
	c.v, c.fetched = v, time.Now()
	return v, nil
}

// forgetTemplates makes the next TemplatesInForce read the store.
func (db *DB) forgetTemplates() {
	c := db.templateCache()
	c.mu.Lock()
	c.fetched = time.Time{}
	c.mu.Unlock()
}
