/** Every queue keydesk uses, by name. Processors arrive with the reminders. */
export const QUEUE = {
  reminders: 'reminders',
} as const;
export type QueueName = (typeof QUEUE)[keyof typeof QUEUE];
