/**
 * Shadow mode: a source's writes keep flowing while what a kill, hold or throttle would have done
 * to them is counted ({@code ordergate_shadow_total}) and recorded on their audit rows. Others use
 * {@link io.ordergate.shadow.Shadows}.
 */
package io.ordergate.shadow;
