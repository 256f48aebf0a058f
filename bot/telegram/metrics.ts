/** The bot's Prometheus metrics (GET /metrics in webhook mode), in a registry of their own. */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export class BotMetrics {
  readonly registry = new Registry();
  readonly updates = new Counter({ name: 'bot_updates_total', help: 'Updates received, by kind', labelNames: ['kind'], registers: [this.registry] });
  readonly answers = new Counter({ name: 'bot_answers_total', help: 'Questions answered, by outcome (answered, not-found, hint)', labelNames: ['outcome'], registers: [this.registry] });
  readonly refusals = new Counter({ name: 'bot_refusals_total', help: 'Updates refused with a notice because their chat queue was full', registers: [this.registry] });
  readonly errors = new Counter({ name: 'bot_errors_total', help: 'Updates whose handling failed', registers: [this.registry] });
  readonly feedback = new Counter({
    name: 'bot_feedback_total',
    help: 'Reader feedback stored, by kind (up, down: a vote given or changed; speaker: a quote flagged; name: a speaker named)',
    labelNames: ['kind'],
    registers: [this.registry],
  });
  readonly answerLatency = new Histogram({
    name: 'bot_answer_latency_seconds',
    help: 'From receiving a question to its answer sent',
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
    registers: [this.registry],
  });

  constructor(queueDepth: () => number, indexGeneration: () => number) {
    collectDefaultMetrics({ register: this.registry });
    new Gauge({ name: 'bot_queue_depth', help: 'Updates admitted and not yet finished', registers: [this.registry], collect() { this.set(queueDepth()); } });
    new Gauge({
      name: 'bot_index_generation',
      help: 'Build time of the index in use (Unix seconds); changes when a rebuilt index is picked up',
      registers: [this.registry],
      collect() { this.set(indexGeneration()); },
    });
  }
}
