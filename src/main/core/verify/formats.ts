/**
 * The format verifiers built into Paraphe. Each module registers itself with
 * registerFormatVerifier() when imported: adding a format is one import line here.
 */
import './cms/cms-format'
import './xml/xml-format'
import './container/container-format'
