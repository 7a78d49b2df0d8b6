export type Route =
  | { view: 'home'; dropped?: string[] }
  | { view: 'sign'; files?: string[] }
  | { view: 'verify'; files?: string[] }
  | { view: 'certificates' }
  | { view: 'journal' }

export type Navigate = (route: Route) => void
