// Capacity presets ("Le Maire", "L'adjoint délégué"...) come from resources/capacity-presets.json,
// the same data file the PAdES engine reads: bundled as text by Vite, parsed defensively.
import presetsText from '../../../../../resources/capacity-presets.json?raw'

export interface CapacityPreset {
  id: string
  label: string
}

function parse(text: string): { presets: CapacityPreset[]; freeText: boolean } {
  try {
    const data = JSON.parse(text) as { presets?: unknown; freeText?: unknown }
    const presets = Array.isArray(data.presets)
      ? data.presets.filter((p): p is CapacityPreset => typeof p === 'object' && p !== null && typeof (p as CapacityPreset).id === 'string' && typeof (p as CapacityPreset).label === 'string')
      : []
    return { presets, freeText: data.freeText !== false }
  } catch {
    return { presets: [], freeText: true }
  }
}

export const CAPACITIES = parse(presetsText)
