import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import type { Request } from 'express';
import { Observable } from 'rxjs';
import { routeLabel } from '@datafactory/telemetry';
import { tracer } from '@datafactory/telemetry/tracing';

/**
 * A span per controller call (`<Controller>.<handler>`), child of the request's HTTP span, with the database and
 * queue work of the handler beneath it. This is what @opentelemetry/instrumentation-nestjs-core records; that
 * package patches `@nestjs/core` < 12 only, and Nest 12 is ES modules, which require-time patching cannot reach.
 * With tracing off the tracer is a no-op and this costs a function call.
 */
@Injectable()
export class HandlerSpanInterceptor implements NestInterceptor {
  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (ctx.getType() !== 'http' || !trace.getActiveSpan()) return next.handle();
    const controller = ctx.getClass().name;
    const handler = ctx.getHandler().name;
    const span = tracer().startSpan(`${controller}.${handler}`, {
      kind: SpanKind.INTERNAL,
      attributes: {
        'nestjs.type': 'handler',
        'nestjs.controller': controller,
        'nestjs.callback': handler,
        'http.route': routeLabel(ctx.switchToHttp().getRequest<Request>()),
      },
    });
    // Nest binds the handler's async scope when handle() is called: calling it inside the span's context makes
    // everything the handler awaits (pg queries, internal calls) the span's children.
    const handled = context.with(trace.setSpan(context.active(), span), () => next.handle());
    return new Observable((subscriber) =>
      handled.subscribe({
        next: (value) => subscriber.next(value),
        error: (error: unknown) => {
          span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
          span.end();
          subscriber.error(error);
        },
        complete: () => {
          span.end();
          subscriber.complete();
        },
      }),
    );
  }
}
