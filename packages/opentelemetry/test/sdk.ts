import { context, metrics, trace, type Attributes } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import {
  AggregationTemporality,
  MeterProvider,
  MetricReader,
  type DataPoint,
  type Histogram,
} from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { SharedCallInstrumentation, type SharedCallInstrumentationConfig } from '../src/index.js';

/** A reader collected on demand (no timer), cumulative like Prometheus. */
class ManualReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  }
  protected async onForceFlush(): Promise<void> {}
  protected async onShutdown(): Promise<void> {}
}

/**
 * The real OpenTelemetry SDK wired to an in-memory span exporter and a manual metric reader, with a
 * {@link SharedCallInstrumentation} registered through `registerInstrumentations`.
 */
export function setupSdk(config?: SharedCallInstrumentationConfig) {
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  const spans = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
  const reader = new ManualReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  const instrumentation = new SharedCallInstrumentation(config);
  const unregister = registerInstrumentations({ instrumentations: [instrumentation], tracerProvider, meterProvider });

  /** Data points of metric `name` now. */
  async function points(name: string): Promise<DataPoint<number | Histogram>[]> {
    const { resourceMetrics } = await reader.collect();
    const metric = resourceMetrics.scopeMetrics.flatMap((s) => s.metrics).find((m) => m.descriptor.name === name);
    return (metric?.dataPoints ?? []) as DataPoint<number | Histogram>[];
  }

  /** Sum of counter `name` over the points whose attributes include `where`. */
  async function sum(name: string, where: Attributes = {}): Promise<number> {
    return (await points(name))
      .filter((p) => Object.entries(where).every(([k, v]) => p.attributes[k] === v))
      .reduce((total, p) => total + (typeof p.value === 'number' ? p.value : p.value.count), 0);
  }

  return {
    instrumentation,
    spans,
    tracer: tracerProvider.getTracer('test'),
    points,
    sum,
    async shutdown() {
      unregister();
      instrumentation.disable();
      await tracerProvider.shutdown();
      await meterProvider.shutdown();
      contextManager.disable();
      context.disable();
      trace.disable();
      metrics.disable();
    },
  };
}
