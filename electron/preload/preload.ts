// The only bridge between the page and the backend: `call` and `onEvent`, nothing else.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { EventMessage, Transport } from '../../shared/api/contract';

const bridge: Transport = {
  call: (method, input) => ipcRenderer.invoke('ownerscope:call', method, input),
  onEvent(listener) {
    const handler = (_e: IpcRendererEvent, m: EventMessage) => listener(m);
    ipcRenderer.on('ownerscope:event', handler);
    return () => ipcRenderer.removeListener('ownerscope:event', handler);
  },
};

contextBridge.exposeInMainWorld('ownerscope', bridge);
