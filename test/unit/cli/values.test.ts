import { describe, expect, it } from 'vitest';
import { parsePublish, ramInBytes } from '../../../src/cli/index.ts';

describe('ramInBytes (go-units RAMInBytes)', () => {
  it.each([
    ['100', 100],
    ['100b', 100],
    ['1k', 1024],
    ['1KB', 1024],
    ['1KiB', 1024],
    ['512m', 512 * 2 ** 20],
    ['1.5g', 1.5 * 2 ** 30],
    ['2G', 2 * 2 ** 30],
    ['1t', 2 ** 40],
    ['10 MB', 10 * 2 ** 20],
    ['0', 0],
  ])('%s is %d bytes', (input, bytes) => {
    expect(ramInBytes(input)).toBe(bytes);
  });

  it.each([
    ['foo', "invalid size: 'foo'"],
    ['-1', "invalid size: '-1'"],
    ['1x', "invalid suffix: 'x'"],
    ['10zb', "invalid suffix: 'zb'"],
    ['1mx', "invalid suffix: 'mx'"],
    ['1bb', "invalid suffix: 'bb'"],
    ['1kibb', "invalid suffix: 'kibb'"],
    ['1.2.3', 'strconv.ParseFloat: parsing "1.2.3": invalid syntax'],
  ])('refuses %s', (input, message) => {
    expect(() => ramInBytes(input)).toThrow(message);
  });
});

describe('parsePublish (go-connections ParsePortSpec)', () => {
  it('reads the usual forms', () => {
    expect(parsePublish(['80'])).toEqual([{ containerPort: 80, protocol: 'tcp' }]);
    expect(parsePublish(['8080:80'])).toEqual([{ hostPort: 8080, containerPort: 80, protocol: 'tcp' }]);
    expect(parsePublish(['127.0.0.1:8080:80/udp'])).toEqual([
      { hostIp: '127.0.0.1', hostPort: 8080, containerPort: 80, protocol: 'udp' },
    ]);
    expect(parsePublish(['127.0.0.1::80'])).toEqual([
      { hostIp: '127.0.0.1', containerPort: 80, protocol: 'tcp' },
    ]);
    expect(parsePublish(['[::1]:53:53/UDP'])).toEqual([
      { hostIp: '::1', hostPort: 53, containerPort: 53, protocol: 'udp' },
    ]);
    expect(parsePublish(['80/sctp'])).toEqual([{ containerPort: 80, protocol: 'sctp' }]);
  });

  it('expands ranges and keeps a host range for a single container port', () => {
    expect(parsePublish(['8000-8001:80-81'])).toEqual([
      { hostPort: 8000, containerPort: 80, protocol: 'tcp' },
      { hostPort: 8001, containerPort: 81, protocol: 'tcp' },
    ]);
    expect(parsePublish(['8080-8090:80'])).toEqual([
      { hostPort: 8080, hostPortEnd: 8090, containerPort: 80, protocol: 'tcp' },
    ]);
  });

  it('reads the long syntax', () => {
    expect(parsePublish(['published=8080,target=80,protocol=udp'])).toEqual([
      { hostPort: 8080, containerPort: 80, protocol: 'udp' },
    ]);
  });

  it.each([
    ['foo', 'invalid containerPort: foo'],
    ['65536', 'invalid containerPort: 65536'],
    ['99999:80', 'invalid hostPort: 99999'],
    ['1.2.3:80:80', 'invalid IP address: 1.2.3'],
    ['256.0.0.1:80:80', 'invalid IP address: 256.0.0.1'],
    ['8080:', 'no port specified: 8080:<empty>'],
    ['80/xyz', 'invalid proto: xyz'],
    ['81-80', 'invalid containerPort: 81-80'],
  ])('refuses %s', (input, message) => {
    expect(() => parsePublish([input])).toThrow(message);
  });
});
