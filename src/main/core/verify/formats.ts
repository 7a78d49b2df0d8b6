/**
 * The format verifiers built into Paraphe. Each module registers itself with
 * registerFormatVerifier() when imported: adding a format is one import line here. Order matters
 * only when two detectors could both claim a file: the first registered wins.
 */
import './cms/cms-format'
import './container/container-format'
import './xml/xml-format'
import './pdf/pdf-format'
