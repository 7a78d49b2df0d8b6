/**
 * Capacity presets ("Le Maire", "L'adjoint délégué"...): data in resources/capacity-presets.json, so
 * a local authority's wording changes without code. The chosen capacity fills the signature's /Reason.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'
import { resolveResourcesDir } from '../../verify/resources'

const presetFile = z.object({
  version: z.literal(1),
  presets: z.array(z.object({ id: z.string().min(1), label: z.string().min(1).max(200) })),
  freeText: z.boolean(),
})

export type CapacityPresets = z.infer<typeof presetFile>

export function loadCapacityPresets(resourcesDir?: string): CapacityPresets {
  const path = join(resolveResourcesDir(resourcesDir), 'capacity-presets.json')
  let raw: unknown
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'))
  } catch (e) {
    throw new Error(`cannot read the capacity presets (${path}): ${(e as Error).message}`)
  }
  const parsed = presetFile.safeParse(raw)
  if (!parsed.success) throw new Error(`invalid capacity presets file ${path}: ${parsed.error.issues[0]?.message ?? 'bad format'}`)
  return parsed.data
}

/** The /Reason text for a preset id or a free-text capacity (free text wins when both are given). */
export function capacityReason(presets: CapacityPresets, choice: { presetId?: string; text?: string }): string | undefined {
  const text = choice.text?.trim()
  if (text) {
    if (!presets.freeText) throw new Error('free-text capacities are disabled by the configuration')
    return text
  }
  if (!choice.presetId) return undefined
  const preset = presets.presets.find((p) => p.id === choice.presetId)
  if (!preset) throw new Error(`unknown capacity preset "${choice.presetId}" (known: ${presets.presets.map((p) => p.id).join(', ')})`)
  return preset.label
}
