/**
 * PostgreSQL plumbing: the connection pool, versioned schema migrations under an advisory lock, the
 * audit's daily partitions and retention, and the stored-header codec shared by the quarantine and
 * idempotency tables.
 *
 * <p>Others may use {@link io.ordergate.db.Database}, {@link io.ordergate.db.Migrations}, {@link
 * io.ordergate.db.Partitions}, {@link io.ordergate.db.StoredHeaders}, {@link
 * io.ordergate.db.ListenReconnect}; the rest is internal.
 */
package io.ordergate.db;
