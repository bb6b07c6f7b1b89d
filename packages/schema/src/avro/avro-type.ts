/**
 * Type-level mapping from an Avro schema literal (declared `as const`) to the TypeScript value
 * type that avsc reads and writes for it. Used to prove the hand-written record interfaces and the
 * schemas agree; it understands the subset our schemas use (inline named types, no references).
 */

type Primitive = {
  null: null;
  boolean: boolean;
  int: number;
  long: number;
  float: number;
  double: number;
  bytes: Uint8Array;
  string: string;
};

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

type FieldsOf<F> = F extends readonly { readonly name: string; readonly type: unknown }[]
  ? { [E in F[number] as E['name']]: AvroType<E['type']> }
  : never;

/** The TypeScript type of values of an Avro schema literal. */
export type AvroType<S> = S extends keyof Primitive
  ? Primitive[S]
  : S extends readonly unknown[]
    ? AvroType<S[number]>
    : S extends { readonly type: 'record'; readonly fields: infer F }
      ? Mutable<FieldsOf<F>>
      : S extends { readonly type: 'enum'; readonly symbols: readonly (infer Sym)[] }
        ? Sym
        : S extends { readonly type: 'array'; readonly items: infer I }
          ? AvroType<I>[]
          : S extends { readonly type: 'map'; readonly values: infer V }
            ? Record<string, AvroType<V>>
            : S extends { readonly type: infer P extends keyof Primitive }
              ? Primitive[P]
              : never;
