import { describe, expect, it } from 'vitest';
import { parseKubectlWords } from '../../../src/cli/kubectl.ts';
import { checkLine } from '../../../src/cli/lines.ts';
import { splitShellWords } from '../../../src/cli/shellWords.ts';

/**
 * kubectl's refusals, word for word (kubectl v1.34; sources: kubernetes/kubectl pkg/cmd/run/run.go
 * — MarkFlagRequired("image"), UsageErrorf "NAME is required for run"; util/templates
 * FlagErrorFunc "See '… --help' for usage."; cmd/util helpers.go CheckErr's `error: ` prefix and
 * exit 1; pkg/cmd/get/get.go for `kubectl get` alone; cli-runtime's resource builder for a
 * type without a name; cobra's legacyArgs and SuggestionsFor for an unknown command).
 */
const parse = (line: string) => parseKubectlWords(splitShellWords(line).slice(1));

// prettier-ignore
const REFUSALS: [line: string, stderr: string][] = [
  ['kubectl frobnicate', 'error: unknown command "frobnicate" for "kubectl"\n'],
  ['kubectl gte pods', 'error: unknown command "gte" for "kubectl"\n\nDid you mean this?\n\tget\n'],
  ['kubectl run web', 'error: required flag(s) "image" not set\n'],
  ['kubectl run --image=nginx', "error: NAME is required for run\nSee 'kubectl run -h' for help and examples\n"],
  ['kubectl run web --image', "error: flag needs an argument: --image\nSee 'kubectl run --help' for usage.\n"],
  ['kubectl run web --image=nginx --frob', "error: unknown flag: --frob\nSee 'kubectl run --help' for usage.\n"],
  ['kubectl run web --image=nginx -x', "error: unknown shorthand flag: 'x' in -x\nSee 'kubectl run --help' for usage.\n"],
  ['kubectl run web --image=Nginx', 'error: Invalid image name "Nginx": invalid reference format\n'],
  ['kubectl run web --image=nginx --restart=Sometimes', "error: invalid restart policy: Sometimes\nSee 'kubectl run -h' for help and examples\n"],
  ['kubectl run web --image=nginx --env=NOVALUE', 'error: invalid env: NOVALUE\n'],
  ['kubectl delete pod', 'error: resource(s) were provided, but no name was specified\n'],
  ['kubectl delete pod web --grace-period=soon', "error: invalid argument \"soon\" for \"--grace-period\" flag: strconv.ParseInt: parsing \"soon\": invalid syntax\nSee 'kubectl delete --help' for usage.\n"],
  ['kubectl get', 'You must specify the type of resource to get. Use "kubectl api-resources" for a complete list of supported resources.\n\nerror: Required resource not specified.\nUse "kubectl explain <resource>" for a detailed description of that resource (e.g. kubectl explain pods).\nSee \'kubectl get -h\' for help and examples\n'],
];

describe('kubectl refuses a line as kubectl does (exit 1)', () => {
  for (const [line, stderr] of REFUSALS) {
    it(line, () => {
      expect(parse(line)).toEqual({ stderr, exitCode: 1 });
    });
  }
});

describe('kubectl lines dockstep does not simulate are refused in its own words', () => {
  it.each([
    ['kubectl logs web', "dockstep: 'kubectl logs' is a kubectl command that dockstep does not simulate"],
    [
      'kubectl run web --image=nginx -it',
      'dockstep: kubectl run -it is a real flag that dockstep does not simulate',
    ],
    ['kubectl get deployments', 'dockstep: kubectl get here lists pods only: kubectl get pods'],
    ['kubectl delete svc web', "dockstep: kubectl here deletes and lists pods only, not 'svc'"],
    [
      'kubectl get pods -n kube-system',
      "dockstep: kubectl here works in the default namespace only, not 'kube-system'",
    ],
  ])('%s', (line, first) => {
    const parsed = parse(line);
    expect('stderr' in parsed && parsed.stderr.split('\n')[0]).toBe(first);
  });
});

describe('kubectl lines it accepts', () => {
  it('run: the pod name, the image, flags before or after the name, arguments after --', () => {
    expect(parse('kubectl run web --image=nginx')).toEqual({
      name: 'run',
      pod: 'web',
      image: 'nginx',
      restart: 'Always',
      env: [],
      args: [],
    });
    expect(parse('kubectl run --image busybox sl --restart=Never --env=A=1 -- sleep 1000')).toEqual({
      name: 'run',
      pod: 'sl',
      image: 'busybox',
      restart: 'Never',
      env: ['A=1'],
      args: ['sleep', '1000'],
    });
  });

  it('delete: pod NAME, pods NAME, po NAME and pod/NAME; --now is a 1 s grace period', () => {
    for (const line of [
      'kubectl delete pod web',
      'kubectl delete pods web',
      'kubectl delete po web',
      'kubectl delete pod/web',
    ]) {
      expect(parse(line)).toEqual({ name: 'delete', pod: 'web' });
    }
    expect(parse('kubectl delete pod web --now')).toEqual({ name: 'delete', pod: 'web', gracePeriod: 1 });
    expect(parse('kubectl delete pod web --grace-period=5')).toEqual({
      name: 'delete',
      pod: 'web',
      gracePeriod: 5,
    });
  });

  it('get pods, in the default namespace', () => {
    expect(parse('kubectl get pods')).toEqual({ name: 'get', resource: 'pods' });
    expect(parse('kubectl get po -n default')).toEqual({ name: 'get', resource: 'pods' });
  });

  it('the lesson checker routes kubectl lines to this parser', () => {
    expect(checkLine('kubectl run web --image=nginx')).toBeUndefined();
    expect(checkLine('kubectl run web')?.stderr).toBe('error: required flag(s) "image" not set\n');
  });
});
