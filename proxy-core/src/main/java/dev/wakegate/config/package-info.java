/**
 * The configuration: immutable, validated records ({@link dev.wakegate.config.ProxyConfig} and its
 * parts) read from YAML by {@link dev.wakegate.config.ConfigLoader}, overridden by the environment
 * ({@link dev.wakegate.config.EnvOverrides}) and completed by Docker labels
 * ({@link dev.wakegate.config.LabelConfig}, {@link dev.wakegate.config.ConfigMerge}). Every key is in
 * docs/configuration.md; every refusal names the file, the key and the reason.
 */
@NullMarked
package dev.wakegate.config;

import org.jspecify.annotations.NullMarked;
