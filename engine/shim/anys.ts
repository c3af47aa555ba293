// The Any values the shim reads and writes, with the exact type URLs it registers. The shim's
// typeurl registry knows protobuf messages by their bare full name (the runc options must be
// `containerd.runc.v1.Options`: the `type.googleapis.com/` form is refused) and OCI spec structs
// as JSON under `types.containerd.io/opencontainers/runtime-spec/1/<Type>` (containerd
// runtime/typeurl.go).
import { create, fromBinary, toBinary, type DescMessage, type MessageShape } from '@bufbuild/protobuf';
import { AnySchema, type Any } from '@bufbuild/protobuf/wkt';
import { OptionsSchema } from './proto/gen/github.com/containerd/containerd/runtime/v2/runc/options/oci_pb.ts';

const SPEC_TYPE = 'types.containerd.io/opencontainers/runtime-spec/1';

export interface RuncOptions {
  /** The runc binary the shim runs (runc options field 6): our recorder, so the argv is observed. */
  binaryName: string;
  /** runc's state root (field 7); the shim adds the namespace: `--root ROOT/NS`. */
  root: string;
  systemdCgroup?: boolean;
  shimCgroup?: string;
}

export function runcOptionsAny(options: RuncOptions): Any {
  const value = toBinary(OptionsSchema, create(OptionsSchema, options));
  return create(AnySchema, { typeUrl: 'containerd.runc.v1.Options', value });
}

/** An OCI spec part (Process for Exec, LinuxResources for Update) as the shim's JSON Any. */
export function specAny(type: 'Process' | 'LinuxResources', value: object): Any {
  return create(AnySchema, { typeUrl: `${SPEC_TYPE}/${type}`, value: Buffer.from(JSON.stringify(value)) });
}

/** The message in an Any when its type URL names `schema`, else undefined. */
export function unpack<Desc extends DescMessage>(
  any: Any | undefined,
  schema: Desc,
): MessageShape<Desc> | undefined {
  if (any === undefined) return undefined;
  const name = any.typeUrl.slice(any.typeUrl.lastIndexOf('/') + 1);
  return name === schema.typeName ? fromBinary(schema, any.value) : undefined;
}
