/**
 * Input that cannot be used: a bad config, a bad deployment record, a playbook request that
 * cannot be carried out as asked. Nothing was done. Every layer's input error derives from this
 * one class, so a front door maps all of them at once (drctl exits 2, cli/exit-codes.ts), and a
 * new layer's error needs no change there.
 */
export class InputError extends Error {}
