/**
 * Order sources and their API keys: the PostgreSQL store and the in-memory registry that maps a
 * key's SHA-256 to its source, reloaded on NOTIFY.
 *
 * <p>Others may use {@link io.ordergate.source.ApiKeys}, {@link io.ordergate.source.Source}, {@link
 * io.ordergate.source.SourceRegistry}, {@link io.ordergate.source.SourceStore}; the rest is
 * internal.
 */
package io.ordergate.source;
