import type { Ctx, Program, ProgramRun } from './driver.ts';

/**
 * hello-world's `/hello` (https://github.com/docker-library/hello-world, hello.c): it writes its
 * message to stdout in one write(2) and exits 0. The architecture line is the one it was built
 * for; the simulated host is linux/amd64.
 */
export const HELLO_TEXT = `
Hello from Docker!
This message shows that your installation appears to be working correctly.

To generate this message, Docker took the following steps:
 1. The Docker client contacted the Docker daemon.
 2. The Docker daemon pulled the "hello-world" image from the Docker Hub.
    (amd64)
 3. The Docker daemon created a new container from that image which runs the
    executable that produces the output you are currently reading.
 4. The Docker daemon streamed that output to the Docker client, which sent it
    to your terminal.

To try something more ambitious, you can run an Ubuntu container with:
 $ docker run -it ubuntu bash

Share images, automate workflows, and more with a free Docker ID:
 https://hub.docker.com/

For more examples and ideas, visit:
 https://docs.docker.com/get-started/

`;

export function helloProgram(): Program {
  return {
    comm: 'hello',
    modeled: true,
    // eslint-disable-next-line require-yield -- it never waits: one write, then exit
    *run(ctx: Ctx): ProgramRun {
      ctx.write('stdout', HELLO_TEXT);
      return 0;
    },
  };
}
