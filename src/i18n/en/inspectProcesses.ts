import type { Catalogue } from '../index.ts';

/** A console's size and a process's stdin: the calls the shim answers without runc. (top and stats: resources.ts) */
export const inspectProcesses: Catalogue = {
  'api.containers.resize':
    'The CLI tells dockerd the size of its terminal (`POST /containers/…/resize?h=…&w=…`): the container’s console should match it.',
  'api.containers.resize.reply': 'dockerd answers {status}: the console has the new size.',
  'api.exec.resize':
    'The CLI tells dockerd the size of its terminal for the exec’s console (`POST /exec/…/resize`).',
  'api.exec.resize.reply': 'dockerd answers {status}: the exec’s console has the new size.',
  'ctrd.Tasks.ResizePty': 'dockerd asks containerd to resize a process’s console; containerd asks the shim.',
  'ctrd.Tasks.ResizePty.reply': 'containerd answers “{call}”.',
  'ctrd.Tasks.CloseIO': 'dockerd asks containerd to close a process’s stdin: the client’s input has ended.',
  'ctrd.Tasks.CloseIO.reply': 'containerd answers “{call}”.',
  'shim.ResizePty':
    'containerd calls Task/ResizePty; the shim sets the size of the console it holds (TIOCSWINSZ).',
  'shim.ResizePty.reply': 'The shim answers “{call}”: the program in the console sees SIGWINCH.',
  'shim.CloseIO': 'containerd calls Task/CloseIO; the shim closes its end of the process’s stdin.',
  'shim.CloseIO.reply': 'The shim answers “{call}”: the process reads the end of its input.',
};
