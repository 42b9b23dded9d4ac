/** Base of every error the firing engine raises on purpose. */
export class EngineError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EngineError';
  }
}

/** A setting or environment variable is missing or out of range; raised at start-up. */
export class EngineConfigurationError extends EngineError {
  constructor(message: string) {
    super(message);
    this.name = 'EngineConfigurationError';
  }
}

/** The feeder was invoked with an event that does not name a valid shard. */
export class InvalidFeederEventError extends EngineError {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidFeederEventError';
  }
}

/** A delay-queue message whose body is not `{"id": "<schedule id>"}`; it ends in the DLQ. */
export class MalformedMessageError extends EngineError {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedMessageError';
  }
}

/** A delay-queue message names a well-formed id that has no schedule item; it ends in the DLQ. */
export class UnknownScheduleError extends EngineError {
  constructor(id: string) {
    super(`No schedule item exists for id "${id}"`);
    this.name = 'UnknownScheduleError';
  }
}

/** The output queue or the AppSync announcement failed; the message is redelivered. */
export class DeliveryError extends EngineError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DeliveryError';
  }
}

/** AppSync answered a publish with an HTTP error or GraphQL errors. */
export class PublishError extends EngineError {
  constructor(message: string) {
    super(message);
    this.name = 'PublishError';
  }
}
