/** This package's name and version, as the instrumentation scope of its spans and metrics. */
export const PACKAGE_NAME = '@shared-call/opentelemetry';
export const PACKAGE_VERSION = '0.1.0';
