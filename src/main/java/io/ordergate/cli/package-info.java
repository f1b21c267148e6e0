/**
 * The command line (picocli): {@code serve}, {@code demo}, {@code sources}, the flag commands
 * ({@code kill}, {@code revive}, {@code hold}, {@code throttle}, {@code shadow}, {@code status}),
 * {@code quarantine}, {@code cleanup}. User errors are {@code CliFailure} (exit 2, one line);
 * unconfirmed changes exit 3.
 *
 * <p>Others may use {@link io.ordergate.cli.CleanupCommand}, {@link io.ordergate.cli.CliFailure},
 * {@link io.ordergate.cli.DemoCommand}, {@link io.ordergate.cli.FlagCommands}, {@link
 * io.ordergate.cli.OrderSystemCommand}, {@link io.ordergate.cli.QuarantineCommand}, {@link
 * io.ordergate.cli.ServeCommand}, {@link io.ordergate.cli.ShadowCommand}, {@link
 * io.ordergate.cli.SourcesCommand}, {@link io.ordergate.cli.Suggestions}, {@link
 * io.ordergate.cli.CliLogging} (a one-shot command's logging, found by logback as a service); the
 * rest is internal.
 */
package io.ordergate.cli;
