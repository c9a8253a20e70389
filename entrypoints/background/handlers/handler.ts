/** The shape of a message family: one handler per message type it answers. */
import type { MessageType, RequestOf, ResponseOf } from '../../../extension/messaging/protocol.ts';
import type { MessageSenderLike } from '../browser-apis.ts';

/**
 * Gets a payload already checked by `extension/messaging/validation.ts`, from an allowed sender;
 * the sender (set by the browser) for the few handlers that decide by it.
 */
export type Handler<T extends MessageType> = (payload: RequestOf<T>, sender: MessageSenderLike) => Promise<ResponseOf<T>>;

/** The handlers of the message types `T`; the dispatcher joins the families into one table. */
export type Handlers<T extends MessageType = MessageType> = { [K in T]: Handler<K> };
