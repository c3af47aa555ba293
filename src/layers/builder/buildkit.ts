import type { Message } from '../../model/message.ts';
import type { OperationProgram, TopicWaiters } from '../operation.ts';
import type { Builder } from './builder.ts';

export const BUILDKIT_HANDLERS: Record<string, (b: Builder, msg: Message, waiters: TopicWaiters) => OperationProgram> = {};

export function buildkitOutput(_waiters: TopicWaiters, _msg: Message): void {}
