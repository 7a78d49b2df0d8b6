export type Route =
  | { view: 'home'; dropped?: string[] }
  | { view: 'sign'; files?: string[] }
  | { view: 'verify'; file?: string }
  | { view: 'certificates' }
  | { view: 'journal' }

export type Navigate = (route: Route) => void
