/**
 * Catalogue of the verification engine's texts, French first. Codes are stable (readers and saved
 * JSON reports refer to them); `{name}` placeholders take the parameters the engine gives. The
 * English text is also the engine's `message` fallback, so it matches what the JSON output showed
 * before codes existed.
 */
export const VERIFICATION_TEXTS: Readonly<Record<string, { readonly fr: string; readonly en: string }>> = {
  'pdf.change.catalogReplaced': {
    fr: 'le catalogue du document a été remplacé par un autre objet',
    en: 'the document catalog was replaced by another object',
  },
  'pdf.change.encryptionChanged': {
    fr: 'les paramètres de chiffrement ont été modifiés',
    en: 'the encryption settings were changed',
  },
  'pdf.change.structureDamaged': {
    fr: 'les données de références croisées ajoutées après la signature sont inutilisables : un lecteur affiche un document réparé qu’on ne peut pas comparer de façon fiable',
    en: 'the cross-reference data added after signing is unusable: a viewer shows a repaired document that cannot be compared reliably',
  },
  'pdf.change.xrefTampered': {
    fr: 'l’entrée de références croisées de l’objet {num} écrite après la signature ne pointe pas vers cet objet : les lecteurs peuvent le masquer ou en afficher un autre',
    en: 'the cross-reference entry of object {num} written after signing does not point to that object: viewers may hide it or show another one',
  },
  'pdf.change.dssAdded': {
    fr: 'données de validation (DSS) ajoutées',
    en: 'validation data (DSS) added',
  },
  'pdf.change.objectAddedUnchecked': {
    fr: 'objet {num} ({type}) ajouté ; le document est trop volumineux pour vérifier où il est utilisé',
    en: 'object {num} ({type}) added; the document is too large to check where it is used',
  },
  'pdf.change.dssUpdated': {
    fr: 'données de validation (DSS) mises à jour',
    en: 'validation data (DSS) updated',
  },
  'pdf.change.objectDeleted': {
    fr: 'l’objet {num} ({type}) utilisé par le document signé a été supprimé',
    en: 'object {num} ({type}) used by the signed document was deleted',
  },
  'pdf.change.pagesAdded': {
    fr: '{count:page ajoutée|pages ajoutées}',
    en: '{count:page added|pages added}',
  },
  'pdf.change.pagesRemoved': {
    fr: '{count:page supprimée|pages supprimées}',
    en: '{count:page removed|pages removed}',
  },
  'pdf.change.pageTreeChanged': {
    fr: 'l’arborescence des pages a été modifiée',
    en: 'the page tree was changed',
  },
  'pdf.change.signatureRewritten': {
    fr: 'un dictionnaire de signature existant a été réécrit',
    en: 'an existing signature dictionary was rewritten',
  },
  'pdf.change.metadataUpdated': {
    fr: 'informations du document ou métadonnées XMP mises à jour',
    en: 'document information or XMP metadata updated',
  },
  'pdf.change.formResourceUpdated': {
    fr: 'une ressource par défaut du formulaire (objet {num}, {type}) a été mise à jour',
    en: 'a form default resource (object {num}, {type}) updated',
  },
  'pdf.change.permsChanged': {
    fr: 'les permissions du document (/Perms) ont été modifiées',
    en: 'the document permissions (/Perms) were changed',
  },
  'pdf.change.objectReused': {
    fr: 'l’objet {num}, inutilisé dans la révision signée, sert maintenant de {type}',
    en: 'object {num}, unused in the signed revision, is now used as {type}',
  },
  'pdf.change.objectChanged': {
    fr: 'l’objet {num} ({type}) utilisé par le document signé a été modifié',
    en: 'object {num} ({type}) used by the signed document was changed',
  },
  'pdf.change.formCreated': {
    fr: 'un formulaire interactif a été créé (pour accueillir un champ de signature)',
    en: 'an interactive form was created (to hold a signature field)',
  },
  'pdf.change.formReplaced': {
    fr: 'le formulaire interactif a été remplacé',
    en: 'the interactive form was replaced',
  },
  'pdf.change.formReplacedOrRemoved': {
    fr: 'le formulaire interactif a été remplacé ou supprimé',
    en: 'the interactive form was replaced or removed',
  },
  'pdf.change.dssAddedOrUpdated': {
    fr: 'données de validation (DSS) ajoutées ou mises à jour',
    en: 'validation data (DSS) added or updated',
  },
  'pdf.change.catalogEntryUpdated': {
    fr: 'entrée /{key} du catalogue mise à jour',
    en: 'catalog /{key} updated',
  },
  'pdf.change.permsAddedOrChanged': {
    fr: 'permissions du document (/Perms, certification) ajoutées ou modifiées après la signature',
    en: 'document permissions (/Perms, certification) added or changed after signing',
  },
  'pdf.change.pageTreeReplaced': {
    fr: 'l’arborescence des pages a été remplacée',
    en: 'the page tree was replaced',
  },
  'pdf.change.catalogEntryAdded': {
    fr: 'entrée /{key} du catalogue du document ajoutée',
    en: 'document catalog entry /{key} added',
  },
  'pdf.change.catalogEntryRemoved': {
    fr: 'entrée /{key} du catalogue du document supprimée',
    en: 'document catalog entry /{key} removed',
  },
  'pdf.change.catalogEntryChanged': {
    fr: 'entrée /{key} du catalogue du document modifiée',
    en: 'document catalog entry /{key} changed',
  },
  'pdf.change.catalogEntryAddedActive': {
    fr: 'entrée /{key} du catalogue du document ajoutée (elle peut lancer des actions ou ajouter du contenu)',
    en: 'document catalog entry /{key} added (can run actions or add content)',
  },
  'pdf.change.catalogEntryRemovedActive': {
    fr: 'entrée /{key} du catalogue du document supprimée (elle peut lancer des actions ou ajouter du contenu)',
    en: 'document catalog entry /{key} removed (can run actions or add content)',
  },
  'pdf.change.catalogEntryChangedActive': {
    fr: 'entrée /{key} du catalogue du document modifiée (elle peut lancer des actions ou ajouter du contenu)',
    en: 'document catalog entry /{key} changed (can run actions or add content)',
  },
  'pdf.change.pageEntryChanged': {
    fr: 'page {page} : /{key} modifié',
    en: 'page {page}: /{key} changed',
  },
  'pdf.change.docTimestampFieldAddedOnPage': {
    fr: 'champ d’horodatage de document « {name} » ajouté en page {page}',
    en: 'document timestamp field "{name}" added on page {page}',
  },
  'pdf.change.signatureFieldAddedOnPage': {
    fr: 'champ de signature « {name} » ajouté en page {page}',
    en: 'signature field "{name}" added on page {page}',
  },
  'pdf.change.formFieldAddedOnPage': {
    fr: 'champ de formulaire « {name} » ajouté en page {page}',
    en: 'form field "{name}" added on page {page}',
  },
  'pdf.change.annotationAdded': {
    fr: 'annotation {subtype} ajoutée en page {page}',
    en: '{subtype} annotation added on page {page}',
  },
  'pdf.change.annotationAddedOver': {
    fr: 'annotation {subtype} ajoutée en page {page} : elle peut s’afficher par-dessus le contenu signé',
    en: '{subtype} annotation added on page {page}: it can draw over the signed content',
  },
  'pdf.change.signatureWidgetRemoved': {
    fr: 'un champ de signature a été retiré de la page {page}',
    en: 'a signature field widget was removed from page {page}',
  },
  'pdf.change.annotationRemoved': {
    fr: 'annotation {subtype} retirée de la page {page}',
    en: '{subtype} annotation removed from page {page}',
  },
  'pdf.change.fieldListReplaced': {
    fr: 'la liste des champs du formulaire a été remplacée',
    en: 'the form field list was replaced',
  },
  'pdf.change.formSettingUpdated': {
    fr: 'réglage /{key} du formulaire mis à jour',
    en: 'form /{key} updated',
  },
  'pdf.change.formDefaultResourcesUpdated': {
    fr: 'ressources par défaut /{key} du formulaire mises à jour',
    en: 'form default resources /{key} updated',
  },
  'pdf.change.formEntryChanged': {
    fr: 'entrée /{key} du formulaire modifiée',
    en: 'form entry /{key} changed',
  },
  'pdf.change.formXfaChanged': {
    fr: 'entrée /{key} du formulaire modifiée (un contenu XFA peut remplacer ce qui est affiché)',
    en: 'form entry /{key} changed (XFA content can replace what is shown)',
  },
  'pdf.change.docTimestampFieldAdded': {
    fr: 'champ d’horodatage de document « {name} » ajouté',
    en: 'document timestamp field "{name}" added',
  },
  'pdf.change.signatureFieldAdded': {
    fr: 'champ de signature « {name} » ajouté',
    en: 'signature field "{name}" added',
  },
  'pdf.change.formFieldAdded': {
    fr: 'champ de formulaire « {name} » ajouté',
    en: 'form field "{name}" added',
  },
  'pdf.change.signatureFieldRemoved': {
    fr: 'champ de signature « {name} » supprimé',
    en: 'signature field "{name}" removed',
  },
  'pdf.change.formFieldRemoved': {
    fr: 'champ de formulaire « {name} » supprimé',
    en: 'form field "{name}" removed',
  },
  'pdf.change.docTimestampAdded': {
    fr: 'horodatage de document « {name} » ajouté',
    en: 'document timestamp "{name}" added',
  },
  'pdf.change.signatureAdded': {
    fr: 'signature « {name} » ajoutée',
    en: 'signature "{name}" added',
  },
  'pdf.change.signatureValueRemoved': {
    fr: 'la valeur du champ de signature « {name} » a été supprimée',
    en: 'the value of signature field "{name}" was removed',
  },
  'pdf.change.signatureValueReplaced': {
    fr: 'la valeur du champ de signature « {name} » a été remplacée',
    en: 'the value of signature field "{name}" was replaced',
  },
  'pdf.change.formFilled': {
    fr: 'champ de formulaire « {name} » rempli',
    en: 'form field "{name}" filled in',
  },
  'pdf.change.formFilledLocked': {
    fr: 'champ de formulaire « {name} » rempli alors qu’une signature le verrouille',
    en: 'form field "{name}" filled in although a signature locks it',
  },
  'pdf.change.sharedAppearanceAnnotation': {
    fr: 'l’apparence d’une annotation a été remplacée, et son apparence précédente (objet {objects}) sert aussi ailleurs dans le document',
    en: 'the appearance of an annotation was replaced, and its previous appearance (object {objects}) is also used elsewhere in the document',
  },
  'pdf.change.sharedAppearanceField': {
    fr: 'l’apparence du champ « {name} » a été remplacée, et son apparence précédente (objet {objects}) sert aussi ailleurs dans le document',
    en: 'the appearance of field "{name}" was replaced, and its previous appearance (object {objects}) is also used elsewhere in the document',
  },
  'pdf.change.annotationAppearanceChanged': {
    fr: 'l’apparence d’une annotation en page {page} a changé sans changement de valeur',
    en: 'the appearance of an annotation on page {page} changed without a change of value',
  },
  'pdf.change.fieldAppearanceChanged': {
    fr: 'l’apparence du champ « {name} » a changé sans changement de valeur',
    en: 'the appearance of field "{name}" changed without a change of value',
  },
  'pdf.change.annotationFlagsChanged': {
    fr: 'les indicateurs d’affichage d’une annotation en page {page} ont changé (elle peut être masquée ou affichée)',
    en: 'the display flags of an annotation on page {page} changed (it can be hidden or shown)',
  },
  'pdf.change.fieldDisplayFlagsChanged': {
    fr: 'les indicateurs d’affichage du champ « {name} » ont changé (il peut être masqué ou affiché)',
    en: 'the display flags of field "{name}" changed (it can be hidden or shown)',
  },
  'pdf.change.fieldFlagsChanged': {
    fr: 'les indicateurs du champ « {name} » ont changé',
    en: 'the flags of field "{name}" changed',
  },
  'pdf.change.fieldEntryChanged': {
    fr: 'champ « {name} » : /{key} modifié',
    en: 'field "{name}": /{key} changed',
  },
  'pdf.change.annotationEntryChanged': {
    fr: 'une annotation en page {page} a été modifiée (/{key})',
    en: 'an annotation on page {page} was changed (/{key})',
  },
  'pdf.change.sharedAppearanceStream': {
    fr: 'un flux d’apparence (objet {num}) utilisé aussi ailleurs dans le document a été écrasé',
    en: 'an appearance stream (object {num}) that is also used elsewhere in the document was overwritten',
  },
  'pdf.change.fieldAppearanceUpdated': {
    fr: 'apparence du champ « {name} » mise à jour',
    en: 'appearance of field "{name}" updated',
  },
  'pdf.change.annotationAppearanceRewritten': {
    fr: 'apparence d’une annotation (objet {num}, {type}) réécrite',
    en: 'appearance of an annotation (object {num}, {type}) rewritten',
  },

  'pdf.byteRange.noContents': {
    fr: 'le dictionnaire de signature n’a pas de chaîne /Contents',
    en: 'the signature dictionary has no /Contents string',
  },
  'pdf.byteRange.malformed': {
    fr: 'le /ByteRange est absent ou mal formé',
    en: 'the /ByteRange is missing or malformed',
  },
  'pdf.byteRange.pastEnd': {
    fr: 'le /ByteRange dépasse la fin du fichier (octet {end} sur {size})',
    en: 'the /ByteRange runs past the end of the file (byte {end} of {size})',
  },
  'pdf.byteRange.overlap': {
    fr: 'les plages du /ByteRange se chevauchent ou sont dans le désordre',
    en: 'the /ByteRange ranges overlap or are out of order',
  },
  'pdf.byteRange.notAtStart': {
    fr: 'les octets signés commencent à la position {offset}, pas au début du fichier',
    en: 'the signed bytes start at offset {offset}, not at the beginning of the file',
  },
  'pdf.byteRange.rangeCount': {
    fr: 'le /ByteRange compte {count:plage|plages} au lieu de deux autour de la valeur de signature',
    en: 'the /ByteRange has {count:range|ranges} instead of two around the signature value',
  },
  'pdf.byteRange.inObjectStream': {
    fr: 'le dictionnaire de signature est compressé dans un flux d’objets : son /Contents ne peut pas être exclu des octets signés',
    en: 'the signature dictionary is compressed in an object stream: its /Contents cannot be excluded from the signed bytes',
  },
  'pdf.byteRange.notHex': {
    fr: '/Contents n’est pas écrit en chaîne hexadécimale',
    en: '/Contents is not written as a hexadecimal string',
  },
  'pdf.byteRange.signsContents': {
    fr: 'le /ByteRange signe des octets de la chaîne /Contents elle-même : la valeur de signature ne correspond pas à ces octets signés',
    en: 'the /ByteRange signs bytes of the /Contents string itself: the signature value does not belong to these signed bytes',
  },
  'pdf.byteRange.contentsOutsideGap': {
    fr: 'la chaîne /Contents de cette signature n’est pas dans l’intervalle non signé entre les plages signées',
    en: 'the /Contents string of this signature is not in the unsigned gap between the signed ranges',
  },
  'pdf.byteRange.gapTooLarge': {
    fr: 'l’intervalle non signé ({gap} octets) est plus grand que la chaîne /Contents ({contents} octets) : d’autres octets restent non signés',
    en: 'the unsigned gap ({gap} bytes) is larger than the /Contents string ({contents} bytes): other bytes are left unsigned',
  },
  'pdf.byteRange.unsignedBytes': {
    fr: 'les octets {from} à {to} ne sont pas signés',
    en: 'bytes {from}-{to} are left unsigned',
  },
  'pdf.byteRange.notRevisionEnd': {
    fr: 'les octets signés s’arrêtent à la position {end}, qui n’est pas la fin d’une révision (%%EOF)',
    en: 'the signed bytes end at offset {end}, which is not the end of a revision (%%EOF)',
  },

  'text': {
    fr: '{text}',
    en: '{text}',
  },

  'pdf.file.revisionExtracted': {
    fr: 'la révision couverte par la première signature a été écrite dans {path}',
    en: 'the revision covered by the first signature was written to {path}',
  },
  'pdf.file.noRevision': {
    fr: 'aucune révision complète (%%EOF) trouvée : le fichier est tronqué ou endommagé',
    en: 'no complete revision (%%EOF) found: the file is truncated or damaged',
  },
  'pdf.file.revisionOne': {
    fr: '{count} révision : {ends}',
    en: '{count} revision: {ends}',
  },
  'pdf.file.revisions': {
    fr: '{count} révisions : {ends}',
    en: '{count} revisions: {ends}',
  },
  'pdf.file.revisionEnd': {
    fr: 'la révision {index} se termine à l’octet {end}',
    en: '{index} ends at byte {end}',
  },
  'pdf.file.structure': {
    fr: 'structure : {problem}',
    en: 'structure: {problem}',
  },
  'pdf.file.trailingData': {
    fr: '{count:octet après le dernier %%EOF n’appartient|octets après le dernier %%EOF n’appartiennent} à aucune révision',
    en: '{count:byte after the last %%EOF is|bytes after the last %%EOF are} not part of any revision',
  },

  'pdf.coverage.whole': {
    fr: 'tout le fichier',
    en: 'whole file',
  },
  'pdf.coverage.revision': {
    fr: 'la révision {revision} sur {of}',
    en: 'revision {revision} of {of}',
  },
  'pdf.coverage.bytes': {
    fr: 'les octets 0 à {end} sur {size}',
    en: 'bytes 0 to {end} of {size}',
  },
  'pdf.coverage.unknown': {
    fr: 'inconnu',
    en: 'unknown',
  },

  'pdf.byteRange.ok': {
    fr: 'les octets signés sont toute la révision, à l’exception exacte de la valeur de signature',
    en: 'the signed bytes are the whole revision except exactly the signature value',
  },

  'pdf.signatureDictionary.notInRevision': {
    fr: 'ce dictionnaire de signature ne fait pas partie de la révision que son /ByteRange signe (signature réutilisée ou déplacée)',
    en: 'this signature dictionary is not part of the revision its /ByteRange signs (reused or relocated signature)',
  },

  'pdf.signature.contentsEmpty': {
    fr: 'la valeur de signature (/Contents) est absente ou vide',
    en: 'the signature value (/Contents) is missing or empty',
  },
  'pdf.signature.rangesUnreadable': {
    fr: 'les octets signés ne peuvent pas être lus dans le fichier',
    en: 'the signed bytes cannot be read from the file',
  },
  'pdf.signature.subFilterUnsupported': {
    fr: 'le type de signature /SubFilter /{subFilter} n’est pas pris en charge',
    en: 'signature type /SubFilter /{subFilter} is not supported',
  },

  'pdf.cmsEncoding.serialNotDer': {
    fr: 'un certificat de la signature a un numéro de série mal encodé (pas en DER) : les lecteurs stricts (OpenSSL, EU DSS) rejettent cette signature',
    en: 'a certificate in the signature has an invalidly encoded serial number (not DER): strict readers (OpenSSL, EU DSS) reject this signature',
  },

  'pdf.change.signatureNoLongerInDocument': {
    fr: 'cette signature ne fait plus partie du document final (son champ a été supprimé ou remplacé)',
    en: 'this signature is no longer part of the final document (its field was removed or replaced)',
  },
  'pdf.change.analysisFailed': {
    fr: 'les changements postérieurs à cette signature n’ont pas pu être analysés : {error}',
    en: 'the changes after this signature could not be analysed: {error}',
  },

  'pdf.changesAfter.none': {
    fr: 'aucun changement après cette signature',
    en: 'no change after this signature',
  },
  'pdf.changesAfter.notAllowed': {
    fr: 'changements faits après la signature et non autorisés : {changes}',
    en: 'changes made after signing that are not allowed: {changes}',
  },
  'pdf.changesAfter.onlyAllowed': {
    fr: 'seulement des changements autorisés après cette signature (signatures suivantes, données de validation, remplissage de formulaire ou annotations permis)',
    en: 'only allowed changes after this signature (later signatures, validation data, permitted form filling or annotations)',
  },

  'pdf.change.list': {
    fr: '{changes}',
    en: '{changes}',
  },
  'pdf.change.listMore': {
    fr: '{changes} ; et {more:autre|autres}',
    en: '{changes}; and {more} more',
  },

  'file.error': {
    fr: '{file} : {error}',
    en: '{file}: {error}',
  },

  'file.empty': {
    fr: '{file} est vide : rien à vérifier',
    en: '{file} is empty: nothing to verify',
  },

  'file.unsupported': {
    fr: '{file} : format non pris en charge (Paraphe vérifie les fichiers PDF, XML/XAdES/PES, CMS/CAdES .p7s/.p7m, ASiC et OpenDocument signés)',
    en: '{file}: format not supported (Paraphe verifies PDF, XML/XAdES/PES, CMS/CAdES .p7s/.p7m, ASiC and signed OpenDocument files)',
  },

  'file.verifierFailed': {
    fr: 'le vérificateur {verifier} n’a pas pu lire ce fichier : {error}',
    en: 'the {verifier} verifier could not read this file: {error}',
  },

  'cms.coverage.enclosed': {
    fr: 'le contenu inclus dans la signature ({bytes} octets)',
    en: 'the content enclosed in the signature ({bytes} bytes)',
  },

  'cms.file.contentIgnored': {
    fr: 'la signature contient son propre contenu ; --content {path} n’a pas été utilisé',
    en: 'the signature encloses its own content; --content {path} was not used',
  },

  'cms.coverage.wholeFile': {
    fr: 'tout le fichier {file}',
    en: 'the whole file {file}',
  },

  'cms.file.detachedCheckedAgainst': {
    fr: 'signature détachée vérifiée avec {path}',
    en: 'detached signature checked against {path}',
  },
  'cms.file.detachedCheckedAgainstSibling': {
    fr: 'signature détachée vérifiée avec {path} (fichier trouvé à côté de la signature)',
    en: 'detached signature checked against {path} (file found beside the signature)',
  },

  'cms.coverage.missingFile': {
    fr: 'un fichier séparé qui n’a pas été fourni',
    en: 'a separate file that was not provided',
  },

  'cms.file.detachedNotFound': {
    fr: 'signature détachée : le fichier signé n’a pas été trouvé à côté ; indiquez-le avec --content FICHIER',
    en: 'detached signature: the signed file was not found beside it; give it with --content FILE',
  },
  'cms.file.nothingToExtract': {
    fr: 'rien à extraire : la signature est détachée',
    en: 'nothing to extract: the signature is detached',
  },
  'cms.file.extracted': {
    fr: 'contenu signé écrit dans {path}',
    en: 'signed content written to {path}',
  },

  'policy.digest.refused': {
    fr: 'l’algorithme d’empreinte {name} n’est pas accepté par la politique de validation',
    en: 'digest algorithm {name} is not accepted by the policy',
  },
  'policy.digest.accepted': {
    fr: '{name} accepté',
    en: '{name} accepted',
  },
  'policy.digest.acceptedUntil': {
    fr: '{name} accepté jusqu’au {until}',
    en: '{name} accepted until {until}',
  },
  'policy.digest.expired': {
    fr: '{name} n’est plus accepté après le {until} (heure de signature : {at})',
    en: '{name} is no longer accepted after {until} (signature time {at})',
  },

  'policy.key.refused': {
    fr: 'les clés {family} ne sont pas acceptées par la politique de validation',
    en: '{family} keys are not accepted by the policy',
  },
  'policy.key.tooShort': {
    fr: 'les clés {family} de {bits} bits sont trop courtes pour la politique (minimum {min})',
    en: '{family} {bits}-bit keys are too short for the policy (minimum {min})',
  },
  'policy.key.accepted': {
    fr: 'clé {family} de {bits} bits acceptée',
    en: '{family} {bits}-bit key accepted',
  },
  'policy.key.acceptedUntil': {
    fr: 'clé {family} de {bits} bits acceptée jusqu’au {until}',
    en: '{family} {bits}-bit key accepted until {until}',
  },
  'policy.key.expired': {
    fr: 'les clés {family} de {bits} bits ne sont plus acceptées après le {until} (heure de signature : {at})',
    en: '{family} {bits}-bit keys are no longer accepted after {until} (signature time {at})',
  },

  'cms.digestAlgorithm.unknown': {
    fr: 'algorithme d’empreinte inconnu {oid}',
    en: 'unknown digest algorithm {oid}',
  },

  'cms.signedAttributes.duplicate': {
    fr: 'l’attribut signé {oid} apparaît plusieurs fois (CMS l’interdit)',
    en: 'signed attribute {oid} appears more than once (CMS forbids it)',
  },
  'cms.signedAttributes.multiValued': {
    fr: 'l’attribut signé {oid} a plusieurs valeurs (CMS en exige une seule)',
    en: 'signed attribute {oid} has several values (CMS requires one)',
  },
  'cms.signedAttributes.counterContentType': {
    fr: 'une contre-signature ne doit pas porter d’attribut content-type',
    en: 'a counter-signature must not carry a content-type attribute',
  },
  'cms.signedAttributes.contentTypeMissing': {
    fr: 'l’attribut signé content-type est absent',
    en: 'the content-type signed attribute is missing',
  },
  'cms.signedAttributes.contentTypeMismatch': {
    fr: 'l’attribut content-type {attribute} diffère du type du contenu signé {expected}',
    en: 'content-type attribute {attribute} differs from the signed content type {expected}',
  },

  'cms.messageDigest.missing': {
    fr: 'l’attribut signé message-digest est absent',
    en: 'the message-digest signed attribute is missing',
  },

  'cms.signingTime.padesForbidden': {
    fr: 'PAdES interdit l’attribut signing-time (l’heure doit figurer dans /M)',
    en: 'PAdES forbids the signing-time attribute (the time belongs in /M)',
  },

  'cms.messageDigest.contentUnreadable': {
    fr: 'le contenu signé ne peut pas être lu : {error}',
    en: 'the signed content cannot be read: {error}',
  },
  'cms.messageDigest.detachedMissing': {
    fr: 'le contenu signé n’est pas dans la signature (signature détachée) : fournissez le fichier signé',
    en: 'the signed content is not in the signature (detached): give the signed file',
  },
  'cms.messageDigest.ok': {
    fr: 'l’empreinte {alg} du contenu signé correspond',
    en: 'the {alg} digest of the signed content matches',
  },
  'cms.messageDigest.mismatch': {
    fr: 'le contenu signé a changé : son empreinte {alg} diffère de l’empreinte signée (message-digest)',
    en: 'the signed content changed: its {alg} digest differs from the signed message-digest',
  },

  'cms.signingCertificate.unreadable': {
    fr: 'l’attribut signing-certificate est illisible',
    en: 'the signing-certificate attribute is unreadable',
  },
  'cms.signingCertificate.ok': {
    fr: 'l’attribut signé {attribute} désigne bien le certificat utilisé',
    en: 'the signed {attribute} attribute names the certificate used',
  },
  'cms.signingCertificate.mismatch': {
    fr: 'l’attribut signé signing-certificate désigne un autre certificat que celui identifié comme signataire : le signataire ne peut pas être identifié',
    en: 'the signed signing-certificate attribute names another certificate than the one identified as signer: the signer cannot be identified',
  },

  'cms.signatureValue.noCertificate': {
    fr: 'le certificat du signataire n’est pas dans la signature : la valeur de signature ne peut pas être vérifiée',
    en: 'the signing certificate is not in the signature: the signature value cannot be checked',
  },
  'cms.signatureValue.signerNotIdentified': {
    fr: 'la valeur de signature n’a pas été vérifiée : le certificat du signataire n’est pas identifié',
    en: 'the signature value was not checked: the signer certificate is not identified',
  },
  'cms.signatureValue.uncheckable': {
    fr: 'la valeur de signature ne peut pas être vérifiée : {error}',
    en: 'the signature value cannot be checked: {error}',
  },
  'cms.signatureValue.ok': {
    fr: 'valeur de signature {alg} vérifiée avec la clé publique du signataire',
    en: '{alg} signature value verified with the signer\'s public key',
  },
  'cms.signatureValue.mismatch': {
    fr: 'la valeur de signature ne se vérifie pas avec la clé publique du signataire ({alg})',
    en: 'the signature value does not verify with the signer\'s public key ({alg})',
  },

  'timestamp.unreadable': {
    fr: '{label} : jeton illisible : {error}',
    en: '{label} token unreadable: {error}',
  },

  'timestamp.noTstInfo': {
    fr: '{label} : le jeton ne contient pas de TSTInfo',
    en: '{label} token does not hold a TSTInfo',
  },

  'timestamp.tstInfoUnreadable': {
    fr: '{label} : TSTInfo illisible',
    en: '{label} TSTInfo unreadable',
  },

  'timestamp.noSigner': {
    fr: '{label} : le jeton n’a pas de signataire',
    en: '{label} token has no signer',
  },

  'timestamp.detail': {
    fr: '{label} : {detail}',
    en: '{label}: {detail}',
  },

  'timestamp.imprint.unknownAlgorithm': {
    fr: '{label} : algorithme d’empreinte inconnu',
    en: '{label}: unknown imprint algorithm',
  },
  'timestamp.imprint.notRecomputedKind': {
    fr: '{label} : empreinte non recalculée (données d’archive de ce type non prises en charge) ; signature du jeton vérifiée',
    en: '{label}: imprint not recomputed (archive data of this kind not supported); token signature checked',
  },
  'timestamp.imprint.ok': {
    fr: '{label} : l’empreinte du jeton correspond à ce qu’il horodate',
    en: '{label}: the token\'s imprint matches what it timestamps',
  },
  'timestamp.imprint.mismatch': {
    fr: '{label} : l’empreinte du jeton ne correspond pas à ce qu’il prétend horodater',
    en: '{label}: the token\'s imprint does not match what it claims to timestamp',
  },
  'timestamp.imprint.notRecomputed': {
    fr: '{label} : empreinte non recalculée (données d’archive) ; signature du jeton vérifiée',
    en: '{label}: imprint not recomputed (archive data); token signature checked',
  },

  'timestamp.label.plain': {
    fr: 'horodatage',
    en: 'timestamp',
  },
  'timestamp.label.content': {
    fr: 'horodatage du contenu',
    en: 'content timestamp',
  },
  'timestamp.label.signature': {
    fr: 'horodatage de la signature',
    en: 'signature timestamp',
  },
  'timestamp.label.archive': {
    fr: 'horodatage d’archive',
    en: 'archive timestamp',
  },
  'timestamp.label.document': {
    fr: 'horodatage du document',
    en: 'document timestamp',
  },
  'timestamp.label.plainN': {
    fr: 'horodatage {n}',
    en: 'timestamp {n}',
  },
  'timestamp.label.contentN': {
    fr: 'horodatage du contenu {n}',
    en: 'content timestamp {n}',
  },
  'timestamp.label.signatureN': {
    fr: 'horodatage de la signature {n}',
    en: 'signature timestamp {n}',
  },
  'timestamp.label.archiveN': {
    fr: 'horodatage d’archive {n}',
    en: 'archive timestamp {n}',
  },
  'timestamp.label.documentN': {
    fr: 'horodatage du document {n}',
    en: 'document timestamp {n}',
  },

  'cms.content.detachedNotEncapsulated': {
    fr: 'la signature devrait contenir les données signées, mais elle est détachée',
    en: 'the signature should contain the signed data, but it is detached',
  },

  'cms.encapsulatedDigest.mismatch': {
    fr: 'l’empreinte incluse dans la signature ne correspond pas aux octets signés',
    en: 'the digest encapsulated in the signature does not match the signed bytes',
  },
  'cms.encapsulatedDigest.ok': {
    fr: 'l’empreinte incluse correspond aux octets signés',
    en: 'the encapsulated digest matches the signed bytes',
  },

  'cms.content.encapsulatedUsed': {
    fr: 'la signature contient son contenu ; c’est cette copie qui a été vérifiée',
    en: 'the signature encapsulates its content; that copy was verified',
  },

  'cms.coverage.signedContent': {
    fr: 'tout le contenu signé',
    en: 'the whole signed content',
  },

  'cms.structure.unreadable': {
    fr: 'le conteneur de signature est illisible : {error}',
    en: 'the signature container is unreadable: {error}',
  },
  'cms.structure.noSigner': {
    fr: 'la structure CMS ne contient aucun signataire',
    en: 'the CMS structure contains no signer',
  },

  'cms.coverage.counterSignature': {
    fr: 'contre-signature de la valeur de signature de {id}',
    en: 'counter-signature of the signature value of {id}',
  },
  'cms.coverage.counterSignatureOf': {
    fr: 'contre-signature de {id}',
    en: 'counter-signature of {id}',
  },

  'cms.structure.counterSignatureUnreadable': {
    fr: 'contre-signature illisible',
    en: 'unreadable counter-signature',
  },

  'signingTime.afterTimestamp': {
    fr: 'l’heure de signature déclarée ({claimed}) est postérieure à l’horodatage ({timestamp})',
    en: 'the claimed signing time {claimed} is after the timestamp {timestamp}',
  },

  'signingTime.future': {
    fr: 'l’heure de signature déclarée ({claimed}) est dans le futur',
    en: 'the claimed signing time {claimed} is in the future',
  },

  'crypto.signatureDigest': {
    fr: 'empreinte de la signature : {reason}',
    en: 'signature digest: {reason}',
  },

  'crypto.timestampImprint': {
    fr: 'empreinte de l’horodatage : {reason}',
    en: 'timestamp imprint: {reason}',
  },

  'xml.timestamp.canonicalizationUnsupported': {
    fr: '{label} : canonisation {method} non prise en charge',
    en: '{label}: canonicalization {method} not supported',
  },

  'certificate.unreadable': {
    fr: 'le certificat du signataire est illisible',
    en: 'the signing certificate cannot be read',
  },

  'pes.coverage.wholeFile': {
    fr: 'tout le fichier PES',
    en: 'the whole PES file',
  },
  'pes.coverage.bordereau': {
    fr: 'la signature couvre le bordereau {name} ({index} sur {of}) ; l’en-tête du PES n’est pas couvert',
    en: 'signature covers bordereau {name} ({index} of {of}); PES header not covered',
  },
  'pes.coverage.notItsBordereau': {
    fr: 'la signature placée dans le bordereau {name} ne signe pas ce bordereau',
    en: 'signature placed in bordereau {name} does not sign that bordereau',
  },

  'pes.scope.wrapping': {
    fr: 'la signature placée dans le bordereau {name} signe {targets}, et non le bordereau qui la contient (signature déplacée)',
    en: 'the signature inside bordereau {name} signs {targets}, not the bordereau that contains it (signature wrapping)',
  },
  'pes.scope.wrappingNothing': {
    fr: 'la signature placée dans le bordereau {name} ne signe rien dans le fichier, et non le bordereau qui la contient (signature déplacée)',
    en: 'the signature inside bordereau {name} signs nothing in the file, not the bordereau that contains it (signature wrapping)',
  },

  'pes.coverage.over': {
    fr: 'signature portant sur {targets}',
    en: 'signature over {targets}',
  },
  'pes.coverage.overNothing': {
    fr: 'signature ne portant sur aucun élément du fichier',
    en: 'signature over no element of the file',
  },

  'pes.file.unsignedBordereaux': {
    fr: '{count} bordereau(x) sur {of} ne porte(nt) aucune signature valide : {ids}',
    en: '{count} of {of} bordereau(x) carry no valid signature: {ids}',
  },

  'xml.coverage.wholeDocument': {
    fr: 'tout le document (sauf la signature elle-même)',
    en: 'the whole document (except the signature itself)',
  },
  'xml.coverage.detachedContent': {
    fr: 'le contenu détaché {targets}',
    en: 'detached content {targets}',
  },
  'xml.coverage.envelopedData': {
    fr: 'les données incluses dans la signature',
    en: 'the data enveloped in the signature',
  },
  'xml.coverage.parts': {
    fr: '{parts}',
    en: '{parts}',
  },
  'xml.coverage.nothingResolved': {
    fr: 'rien qui ait pu être résolu',
    en: 'nothing that could be resolved',
  },
  'xml.coverage.signs': {
    fr: 'signe {what}',
    en: 'signs {what}',
  },
  'xml.coverage.ownPropertiesOnly': {
    fr: 'ne signe que ses propres propriétés',
    en: 'signs its own properties only',
  },
  'xml.coverage.nothingOutside': {
    fr: 'rien en dehors de la signature',
    en: 'nothing outside the signature',
  },
  'xml.coverage.signsOnly': {
    fr: 'signe seulement {what} ; le reste du document (élément racine {root}) n’est pas signé',
    en: 'signs only {what}; the rest of the document (root element {root}) is not signed',
  },

  'xml.scope.notWhatWasSigned': {
    fr: 'le document affiché (racine {root}) n’est pas ce qui a été signé : seul {what} est couvert',
    en: 'the document shown (root {root}) is not what was signed: only {what} is covered',
  },
  'xml.scope.insideAnotherSignature': {
    fr: 'l’élément signé {element} se trouve à l’intérieur d’une autre signature',
    en: 'the signed {element} sits inside another signature',
  },

  'xml.file.tooLarge': {
    fr: '{file} : fichier XML de plus de {mb} Mo, non vérifié',
    en: '{file}: XML file larger than {mb} MB, not verified',
  },
  'xml.file.noSignature': {
    fr: '{file} : aucune signature XML dans ce fichier',
    en: '{file}: no XML signature in this file',
  },
  'xml.file.duplicateIds': {
    fr: 'plusieurs éléments portent le même Id {ids} : un programme qui les cherche par Id risque de ne pas lire l’élément signé',
    en: 'several elements share the Id {ids}: a program looking them up by Id may not read the signed one',
  },
  'xml.file.externalUnavailable': {
    fr: 'des données signées se trouvent hors de ce fichier et n’étaient pas disponibles ; voir chaque signature',
    en: 'some signed data lies outside this file and was not available; see each signature',
  },

  'xml.ref.label.noUri': {
    fr: 'référence sans URI',
    en: 'reference without URI',
  },
  'xml.ref.label.document': {
    fr: 'le document entier (URI="")',
    en: 'the whole document (URI="")',
  },
  'xml.ref.label.uri': {
    fr: '« {uri} »',
    en: '"{uri}"',
  },
  'xml.ref.noUri': {
    fr: 'une référence sans URI désigne des données que l’application doit fournir ; aucune n’est connue',
    en: 'a reference without URI names data the application must supply; none known',
  },
  'xml.ref.xpointerUnsupported': {
    fr: '{label} : forme XPointer non prise en charge',
    en: '{label}: XPointer form not supported',
  },
  'xml.ref.duplicateId': {
    fr: '{label} : {count} éléments portent l’Id « {id} » (signature déplacée)',
    en: '{label}: {count} elements carry the Id "{id}" (signature wrapping)',
  },
  'xml.ref.idNotFound': {
    fr: '{label} : aucun élément d’Id « {id} » dans le document (données signées introuvables)',
    en: '{label}: no element with Id "{id}" in the document (signed data not found)',
  },
  'xml.ref.detail': {
    fr: '{label} : {detail}',
    en: '{label}: {detail}',
  },
  'xml.ref.digestUnsupported': {
    fr: '{label} : l’algorithme d’empreinte {alg} n’est pas pris en charge',
    en: '{label}: digest algorithm {alg} is not supported',
  },
  'xml.ref.noDigestValue': {
    fr: '{label} : pas de DigestValue',
    en: '{label}: no DigestValue',
  },
  'xml.ref.envelopedOnBinary': {
    fr: '{label} : transformation enveloped-signature appliquée à des données binaires',
    en: '{label}: enveloped-signature transform applied to binary data',
  },
  'xml.ref.envelopedNotContaining': {
    fr: '{label} : transformation enveloped-signature, mais l’élément signé {element} ne contient pas cette signature (contenu déplacé ou enveloppé)',
    en: '{label}: enveloped-signature transform, but the signed element {element} does not contain this signature (moved or wrapped content)',
  },
  'xml.ref.xsltRefused': {
    fr: '{label} : transformation XSLT refusée par la politique (elle peut exécuter du code et masquer du contenu)',
    en: '{label}: XSLT transform refused by policy (it can run arbitrary code and hide content)',
  },
  'xml.ref.xpathUnsupported': {
    fr: '{label} : les transformations XPath générales ne sont pas prises en charge ; seules les formes enveloped-signature le sont',
    en: '{label}: general XPath transforms are not supported; only the enveloped-signature forms are',
  },
  'xml.ref.transformUnsupported': {
    fr: '{label} : la transformation {alg} n’est pas prise en charge',
    en: '{label}: transform {alg} is not supported',
  },
  'xml.ref.digestMismatch': {
    fr: '{label} : l’empreinte ne correspond pas (contenu modifié après la signature)',
    en: '{label}: digest does not match (content changed after signing)',
  },
  'xml.ref.digestOk': {
    fr: '{label} : l’empreinte correspond',
    en: '{label}: digest matches',
  },

  'xml.external.notAFile': {
    fr: '{file} n’est pas un fichier',
    en: '{file} is not a file',
  },
  'xml.external.contentUnreadable': {
    fr: 'le fichier de contenu {path} ne peut pas être lu',
    en: 'the content file {path} cannot be read',
  },
  'xml.external.outsideFolder': {
    fr: '« {uri} » pointe hors du dossier de la signature ; non lu',
    en: '"{uri}" points outside the signature\'s folder; not read',
  },
  'xml.external.notFound': {
    fr: 'contenu détaché « {uri} » introuvable à côté de la signature (indiquez-le avec --content)',
    en: 'detached content "{uri}" not found next to the signature (give it with --content)',
  },

  'container.external.notFetched': {
    fr: 'référence externe hors du paquet, non téléchargée',
    en: 'external reference outside the package, not fetched',
  },
  'container.external.missingPart': {
    fr: 'le paquet n’a pas de partie « {name} » (contenu signé absent)',
    en: 'the package has no part "{name}" (signed content missing)',
  },

  'xml.external.notFetched': {
    fr: 'référence externe non téléchargée : Paraphe ne télécharge jamais de données signées ; le résultat reste indéterminé',
    en: 'external reference not fetched: Paraphe never downloads signed data; the result stays undecided',
  },

  'container.file.plainZip': {
    fr: '{file} : une archive ZIP qui n’est ni un fichier OpenDocument signé ni un conteneur ASiC : non prise en charge',
    en: '{file}: a ZIP archive that is neither a signed OpenDocument file nor an ASiC container: not supported',
  },
  'container.file.asicCades': {
    fr: 'conteneur ASiC avec des signatures CAdES ({files}) : pas encore pris en charge',
    en: 'ASiC container with CAdES signatures ({files}): not supported yet',
  },
  'container.file.noSignature': {
    fr: '{file} : aucune signature dans ce paquet',
    en: '{file}: no signature in this package',
  },
  'container.file.noDsSignature': {
    fr: '{file} ne contient aucune ds:Signature',
    en: '{file} holds no ds:Signature',
  },

  'container.coverage.macroParts': {
    fr: 'les {count} parties macro du paquet',
    en: 'the {count} macro parts of the package',
  },
  'container.coverage.allParts': {
    fr: 'les {count} parties du paquet',
    en: 'all {count} parts of the package',
  },
  'container.coverage.someParts': {
    fr: '{count} parties sur {of} ({file}) ; non signées : {missing}',
    en: '{count} of {of} parts ({file}); not signed: {missing}',
  },

  'container.file.uncoveredParts': {
    fr: 'parties du paquet qu’aucune signature valide ne couvre : {parts}',
    en: 'parts of the package no valid signature covers: {parts}',
  },

  'xml.structure.order': {
    fr: 'ds:Signature ne commence pas par ds:SignedInfo suivi de ds:SignatureValue',
    en: 'ds:Signature does not start with ds:SignedInfo followed by ds:SignatureValue',
  },
  'xml.structure.duplicateSignedInfo': {
    fr: 'plus d’un ds:SignedInfo ou ds:SignatureValue dans la signature (signature déplacée)',
    en: 'more than one ds:SignedInfo or ds:SignatureValue in the signature (signature wrapping)',
  },
  'xml.structure.duplicateQualifyingProperties': {
    fr: 'plus d’un xades:QualifyingProperties dans la signature',
    en: 'more than one xades:QualifyingProperties in the signature',
  },
  'xml.structure.qualifyingPropertiesTarget': {
    fr: 'xades:QualifyingProperties vise « {target} », et non cette signature « {id} »',
    en: 'xades:QualifyingProperties targets "{target}", not this signature "{id}"',
  },

  'xml.references.tooMany': {
    fr: '{count} références dans une seule signature (plus de {max} : refusé)',
    en: '{count} references in one signature (more than {max}: refused)',
  },
  'xml.references.none': {
    fr: 'ds:SignedInfo n’a aucune ds:Reference : rien n’est signé',
    en: 'ds:SignedInfo has no ds:Reference: nothing is signed',
  },

  'xml.reference.inManifest': {
    fr: 'manifeste : {detail}',
    en: 'manifest: {detail}',
  },

  'xml.referenceTarget.notObject': {
    fr: 'une référence de type Object pointe vers {element}, qui n’est pas un ds:Object',
    en: 'a reference of type Object points at {element}, which is not a ds:Object',
  },
  'xml.referenceTarget.notManifest': {
    fr: 'une référence de type Manifest pointe vers {element}, qui n’est pas un ds:Manifest',
    en: 'a reference of type Manifest points at {element}, which is not a ds:Manifest',
  },

  'xml.reference.manifestTooLarge': {
    fr: 'le manifeste liste {count} références (plus de {max}) : non vérifié',
    en: 'the manifest lists {count} references (more than {max}): not checked',
  },

  'xml.referenceTarget.notSignatureProperties': {
    fr: 'une référence de type SignatureProperties pointe vers {element}',
    en: 'a reference of type SignatureProperties points at {element}',
  },
  'xml.referenceTarget.notSignedProperties': {
    fr: 'une référence de type SignedProperties pointe vers {element}',
    en: 'a reference of type SignedProperties points at {element}',
  },
  'xml.referenceTarget.foreignSignedProperties': {
    fr: 'une référence pointe vers des propriétés signées qui appartiennent à une autre signature ou à un autre endroit',
    en: 'a reference points at signed properties that belong to another signature or place',
  },

  'xml.signedProperties.count': {
    fr: 'xades:QualifyingProperties contient {count} xades:SignedProperties (un seul attendu)',
    en: 'xades:QualifyingProperties holds {count} xades:SignedProperties (exactly one expected)',
  },
  'xml.signedProperties.notCovered': {
    fr: 'les propriétés signées XAdES (certificat du signataire, heure de signature) ne sont pas couvertes par la signature',
    en: 'the XAdES signed properties (signing certificate, signing time) are not covered by the signature',
  },
  'xml.signedProperties.referencedTwice': {
    fr: 'les propriétés signées XAdES sont référencées plus d’une fois',
    en: 'the XAdES signed properties are referenced more than once',
  },
  'xml.signedProperties.ok': {
    fr: 'les propriétés signées XAdES sont couvertes par la signature',
    en: 'the XAdES signed properties are covered by the signature',
  },

  'xml.unsignedContent.textIn': {
    fr: 'du texte dans {element}',
    en: 'text in {element}',
  },
  'xml.unsignedContent': {
    fr: 'la signature contient du contenu qu’elle ne signe pas : {items}',
    en: 'the signature carries content it does not sign: {items}',
  },
  'xml.unsignedContent.more': {
    fr: 'la signature contient du contenu qu’elle ne signe pas : {items}…',
    en: 'the signature carries content it does not sign: {items}…',
  },

  'xml.signingTime.dcDate': {
    fr: 'heure de signature déclarée {time} (dc:date signée, affirmée par le signataire)',
    en: 'claimed signing time {time} (signed dc:date, asserted by the signer)',
  },
  'xml.signingTime.unreadable': {
    fr: 'SigningTime illisible « {value} »',
    en: 'unreadable SigningTime "{value}"',
  },
  'xml.signingTime.claimed': {
    fr: 'heure de signature déclarée {time} (signée, mais affirmée par le signataire)',
    en: 'claimed signing time {time} (signed, but asserted by the signer)',
  },

  'xml.keyInfo.retrievalUnavailable': {
    fr: 'RetrievalMethod de KeyInfo « {uri} » : {detail}',
    en: 'KeyInfo RetrievalMethod "{uri}": {detail}',
  },

  'xml.signingCertificate.ok': {
    fr: 'l’empreinte SigningCertificate signée correspond à un certificat du fichier',
    en: 'the signed SigningCertificate digest matches a certificate in the file',
  },
  'xml.signingCertificate.noDigest': {
    fr: 'SigningCertificate ne contient aucune empreinte de certificat',
    en: 'SigningCertificate carries no certificate digest',
  },
  'xml.signingCertificate.notInFile': {
    fr: 'le SigningCertificate signé désigne un certificat absent du fichier',
    en: 'the signed SigningCertificate names a certificate that is not in the file',
  },

  'xml.signatureValue.algorithmUnsupported': {
    fr: 'l’algorithme de signature {alg} n’est pas pris en charge',
    en: 'signature algorithm {alg} is not supported',
  },
  'xml.signatureValue.c14nUnsupported': {
    fr: 'la canonisation {method} de SignedInfo n’est pas prise en charge',
    en: 'SignedInfo canonicalization {method} is not supported',
  },

  'xml.hmac.truncated': {
    fr: 'HMAC tronqué à {bits} bits (moins de {min} : refusé, CVE-2009-0217)',
    en: 'HMAC truncated to {bits} bits (fewer than {min}: refused, CVE-2009-0217)',
  },
  'xml.hmac.noKey': {
    fr: 'HMAC : un code d’authentification fait avec un secret partagé, pas une signature d’une personne ; aucune clé n’a été fournie pour le vérifier',
    en: 'HMAC: an authentication code made with a shared secret, not a signature by a person; no key was given to check it',
  },
  'xml.hmac.ok': {
    fr: 'le HMAC correspond avec le secret partagé fourni (il authentifie les données, il n’identifie personne)',
    en: 'HMAC matches with the given shared secret (authenticates the data, identifies nobody)',
  },
  'xml.hmac.mismatch': {
    fr: 'le HMAC ne correspond pas avec le secret partagé fourni',
    en: 'HMAC does not match with the given shared secret',
  },

  'xml.signatureValue.okNamedCertificate': {
    fr: 'la valeur de signature se vérifie avec le certificat du signataire désigné dans les propriétés signées',
    en: 'the signature value verifies with the signing certificate named in the signed properties',
  },
  'xml.signatureValue.mismatchNamedCertificate': {
    fr: 'la valeur de signature ne se vérifie pas avec le certificat du signataire désigné dans les propriétés signées',
    en: 'the signature value does not verify with the signing certificate named in the signed properties',
  },
  'xml.signatureValue.okCertificate': {
    fr: 'la valeur de signature se vérifie avec un certificat fourni dans la signature',
    en: 'the signature value verifies with a certificate given in the signature',
  },
  'xml.signatureValue.mismatchCertificate': {
    fr: 'la valeur de signature ne se vérifie avec aucun certificat fourni dans la signature',
    en: 'the signature value does not verify with any certificate given in the signature',
  },
  'xml.signatureValue.okBareKey': {
    fr: 'la valeur de signature se vérifie avec la seule clé publique fournie dans KeyInfo (sans certificat : personne n’est identifié)',
    en: 'the signature value verifies with the bare public key given in KeyInfo (no certificate: nobody is identified)',
  },
  'xml.signatureValue.mismatchBareKey': {
    fr: 'la valeur de signature ne se vérifie pas avec la clé publique fournie dans KeyInfo',
    en: 'the signature value does not verify with the public key given in KeyInfo',
  },
  'xml.signatureValue.keyNamedNotCarried': {
    fr: 'la signature désigne sa clé (KeyName, émetteur/numéro de série ou SKI) sans la contenir ; la clé n’est pas disponible',
    en: 'the signature names its key (KeyName, issuer/serial or SKI) but does not carry it; the key is not available',
  },
  'xml.signatureValue.noKey': {
    fr: 'la signature ne contient ni clé ni certificat',
    en: 'the signature carries no key or certificate',
  },

  'xml.keyInfo.extraKey': {
    fr: 'KeyInfo contient aussi une clé publique qui n’est pas celle du certificat du signataire (ignorée)',
    en: 'KeyInfo also carries a public key that is not the signing certificate\'s (ignored)',
  },

  'chain.selfSignedNotAnchor': {
    fr: 'la chaîne s’arrête à « {name} », un certificat auto-signé qui n’est pas une autorité de confiance',
    en: 'the chain ends at "{name}", a self-signed certificate that is not a trust anchor',
  },

  'chain.issuerNotFound': {
    fr: 'l’émetteur de « {name} » (« {issuer} ») est introuvable',
    en: 'the issuer of "{name}" ("{issuer}") was not found',
  },

  'chain.tooLong': {
    fr: 'chaîne de certificats trop longue (plus de 10 certificats)',
    en: 'certificate chain too long (more than 10 certificates)',
  },

  'chain.source.trustedList': {
    fr: 'une liste de confiance ({origin})',
    en: 'a trusted list ({origin})',
  },
  'chain.source.user': {
    fr: 'une autorité de confiance que vous avez fournie ({origin})',
    en: 'a trust anchor you provided ({origin})',
  },
  'chain.source.bundled': {
    fr: 'une autorité de confiance fournie avec Paraphe ({origin})',
    en: 'a trust anchor shipped with Paraphe ({origin})',
  },

  'trustedList.notUsed.unsigned': {
    fr: 'la liste de confiance {file} n’est pas utilisée : elle n’est pas signée, ses autorités ne sont donc pas reconnues',
    en: 'the trusted list {file} is not used: it is not signed, so its authorities are not trusted',
  },
  'trustedList.notUsed.severalSignatures': {
    fr: 'la liste de confiance {file} n’est pas utilisée : elle contient {count} signatures au lieu d’une seule',
    en: 'the trusted list {file} is not used: it holds {count} signatures instead of one',
  },
  'trustedList.notUsed.signatureMisplaced': {
    fr: 'la liste de confiance {file} n’est pas utilisée : sa signature est placée dans {element} et non à la racine de la liste (signature déplacée ou liste emballée dans une autre)',
    en: 'the trusted list {file} is not used: its signature sits in {element}, not at the root of the list (moved signature or list wrapped in another)',
  },
  'trustedList.notUsed.signatureInvalid': {
    fr: 'la liste de confiance {file} n’est pas utilisée : sa signature n’est pas valide ({detail})',
    en: 'the trusted list {file} is not used: its signature is not valid ({detail})',
  },
  'trustedList.notUsed.notWholeDocument': {
    fr: 'la liste de confiance {file} n’est pas utilisée : sa signature ne couvre pas toute la liste',
    en: 'the trusted list {file} is not used: its signature does not cover the whole list',
  },
  'trustedList.notUsed.weakAlgorithm': {
    fr: 'la liste de confiance {file} n’est pas utilisée : sa signature utilise un algorithme trop faible ({alg})',
    en: 'the trusted list {file} is not used: its signature uses an algorithm that is too weak ({alg})',
  },
  'trustedList.notUsed.noSignerCertificate': {
    fr: 'la liste de confiance {file} n’est pas utilisée : sa signature ne donne pas de certificat lisible du signataire',
    en: 'the trusted list {file} is not used: its signature carries no readable signer certificate',
  },
  'trustedList.notUsed.unknownSigner': {
    fr: 'la liste de confiance {file} n’est pas utilisée : elle est signée par « {signer} », qui n’est pas un signataire de listes de confiance reconnu',
    en: 'the trusted list {file} is not used: it is signed by "{signer}", which is not a recognised trusted-list signer',
  },
  'trustedList.notUsed.signerNotValid': {
    fr: 'la liste de confiance {file} n’est pas utilisée : le certificat de son signataire « {signer} » n’était pas valide à sa date d’émission ({issued})',
    en: 'the trusted list {file} is not used: the certificate of its signer "{signer}" was not valid on its issue date ({issued})',
  },
  'trustedList.notUsed.noNextUpdate': {
    fr: 'la liste de confiance {file} n’est pas utilisée : elle n’annonce pas de prochaine mise à jour (liste fermée ou date illisible)',
    en: 'the trusted list {file} is not used: it announces no next update (closed list or unreadable date)',
  },
  'trustedList.notUsed.expired': {
    fr: 'la liste de confiance {file} n’est pas utilisée : elle est périmée, sa mise à jour était prévue le {nextUpdate} ; téléchargez la liste en vigueur',
    en: 'the trusted list {file} is not used: it is out of date, its update was due on {nextUpdate}; download the current list',
  },
  'trustedList.notUsed.noSignerConfigured': {
    fr: 'la liste des listes de confiance {file} n’est pas utilisée : aucun certificat de signataire n’est configuré pour la vérifier (--trusted-list-signer)',
    en: 'the list of trusted lists {file} is not used: no signer certificate is configured to check it (--trusted-list-signer)',
  },
  'trustedList.notUsed.noSignerForTerritory': {
    fr: 'la liste de confiance {file} n’est pas utilisée : aucun signataire n’est configuré (--trusted-list-signer) et aucune liste des listes vérifiée ne désigne les signataires de la liste {territory}',
    en: 'the trusted list {file} is not used: no signer is configured (--trusted-list-signer) and no verified list of lists names the signers of the {territory} list',
  },

  'chain.ok': {
    fr: 'chaîne de {count:certificat|certificats} jusqu’à « {anchor} », issue de {how}',
    en: 'certificate chain of {count:certificate|certificates} up to "{anchor}", from {how}',
  },

  'chain.none': {
    fr: 'aucune chaîne jusqu’à une autorité de confiance : {problem}',
    en: 'no chain to a trust anchor: {problem}',
  },

  'validity.notYetValid': {
    fr: '« {name} » n’était pas encore valide le {at} (valide à partir du {from})',
    en: '"{name}" was not yet valid at {at} (valid from {from})',
  },

  'validity.expired': {
    fr: '« {name} » a expiré le {on}',
    en: '"{name}" expired on {on}',
  },

  'validity.expiredNoProof': {
    fr: '« {name} » a expiré le {on} et aucun horodatage ne prouve que la signature existait avant',
    en: '"{name}" expired on {on} and no timestamp proves the signature existed before',
  },

  'validity.expiredSince': {
    fr: '« {name} » a expiré depuis ({on}), mais était valide à l’heure de signature prouvée, le {at}',
    en: '"{name}" has expired since ({on}), but was valid at the proven signature time {at}',
  },

  'validity.ok': {
    fr: 'certificats valides le {at}',
    en: 'certificates valid at {at}',
  },

  'keyUsage.unrestricted': {
    fr: 'le certificat ne restreint pas l’usage de sa clé',
    en: 'the certificate does not restrict its key usage',
  },

  'keyUsage.ok': {
    fr: 'usage de clé {usages}',
    en: 'key usage {usages}',
  },

  'keyUsage.notForSignatures': {
    fr: 'le certificat n’est pas prévu pour signer : l’usage de clé ne comprend pas {missing} (il comprend {has})',
    en: 'the certificate is not meant for signatures: key usage lacks {missing} (has {has})',
  },

  'keyUsage.notForSignaturesNone': {
    fr: 'le certificat n’est pas prévu pour signer : l’usage de clé ne comprend pas {missing} (il ne comprend rien)',
    en: 'the certificate is not meant for signatures: key usage lacks {missing} (has nothing)',
  },

  'keyUsage.extendedOk': {
    fr: 'usage étendu de clé {usage}',
    en: 'extended key usage {usage}',
  },

  'keyUsage.notTimestamping': {
    fr: 'le certificat n’est pas un certificat d’horodatage (usage étendu de clé absent)',
    en: 'the certificate is not a timestamping certificate (extended key usage missing)',
  },

  'keyUsage.notOcsp': {
    fr: 'le certificat n’est pas un certificat OCSP (usage étendu de clé absent)',
    en: 'the certificate is not a OCSP certificate (extended key usage missing)',
  },

  'crypto.signerKeyUnreadable': {
    fr: 'la clé publique du signataire est illisible',
    en: 'the signer public key cannot be read',
  },

  'crypto.certificateSignedWith': {
    fr: 'certificat « {name} » signé avec {alg} : {reason}',
    en: 'certificate "{name}" signed with {alg}: {reason}',
  },

  'revocation.issuerUnknown': {
    fr: 'la révocation de « {name} » ne peut pas être vérifiée : son émetteur est inconnu',
    en: 'revocation of "{name}" cannot be checked: its issuer is unknown',
  },

  'revocation.noCheck': {
    fr: '« {name} » est dispensé de vérification de révocation (ocsp-nocheck)',
    en: '"{name}" is exempt from revocation checking (ocsp-nocheck)',
  },

  'revocation.who.signer': {
    fr: 'certificat du signataire',
    en: 'signer certificate',
  },
  'revocation.who.ca': {
    fr: 'autorité « {name} »',
    en: 'CA "{name}"',
  },

  'revocation.answer': {
    fr: '{who} : {answer}',
    en: '{who}: {answer}',
  },

  'revocation.revokedBefore': {
    fr: '{who} : {answer}, avant l’heure de signature prouvée ({at})',
    en: '{who}: {answer}, before the proven signature time {at}',
  },

  'revocation.revokedAfter': {
    fr: '{who} : {answer}, après l’heure de signature prouvée par l’horodatage ({at})',
    en: '{who}: {answer}, after the signature time proven by the timestamp ({at})',
  },

  'revocation.source.embeddedOcsp': {
    fr: 'réponse OCSP incluse',
    en: 'embedded OCSP response',
  },
  'revocation.source.embeddedCrl': {
    fr: 'liste de révocation incluse',
    en: 'embedded CRL',
  },
  'revocation.source.onlineOcsp': {
    fr: 'serveur OCSP',
    en: 'OCSP responder',
  },
  'revocation.source.onlineCrl': {
    fr: 'liste de révocation',
    en: 'CRL',
  },

  'revocation.good': {
    fr: 'non révoqué ({source}, {at})',
    en: 'not revoked ({source}, {at})',
  },

  'revocation.revoked': {
    fr: 'révoqué le {at} ({source})',
    en: 'revoked on {at} ({source})',
  },

  'revocation.unknownCertificate': {
    fr: 'la source « {source} » ne connaît pas ce certificat',
    en: 'the {source} does not know this certificate',
  },

  'revocation.offline': {
    fr: 'aucune donnée de révocation incluse pour ce certificat ; mode hors ligne : le serveur OCSP et la liste de révocation n’ont pas été consultés',
    en: 'no embedded revocation data for this certificate; offline mode: the OCSP responder and CRL were not consulted',
  },

  'revocation.offlineDetails': {
    fr: 'aucune donnée de révocation incluse pour ce certificat ; mode hors ligne : le serveur OCSP et la liste de révocation n’ont pas été consultés ; {details}',
    en: 'no embedded revocation data for this certificate; offline mode: the OCSP responder and CRL were not consulted; {details}',
  },

  'revocation.noNetworkClient': {
    fr: 'aucune donnée de révocation incluse pour ce certificat ; pas d’accès réseau : le serveur OCSP et la liste de révocation n’ont pas été consultés',
    en: 'no embedded revocation data for this certificate; no network client: the OCSP responder and CRL were not consulted',
  },

  'revocation.noNetworkClientDetails': {
    fr: 'aucune donnée de révocation incluse pour ce certificat ; pas d’accès réseau : le serveur OCSP et la liste de révocation n’ont pas été consultés ; {details}',
    en: 'no embedded revocation data for this certificate; no network client: the OCSP responder and CRL were not consulted; {details}',
  },

  'revocation.unavailable': {
    fr: 'état de révocation indisponible : {details}',
    en: 'revocation status not available: {details}',
  },

  'pdf.signingTime.unreadable': {
    fr: 'date de signature /M illisible « {value} » : l’heure de signature déclarée est inconnue',
    en: 'unreadable signing time /M "{value}": the claimed signing time is unknown',
  },
  'pdf.signingTime.fromM': {
    fr: 'heure de signature déclarée {time} (/M du dictionnaire de signature, affirmée par le signataire)',
    en: 'claimed signing time {time} (signature dictionary /M, asserted by the signer)',
  },

  'cms.content.notGiven': {
    fr: 'signature détachée : le fichier signé n’a pas été fourni (utilisez --content FICHIER)',
    en: 'detached signature: the signed file was not given (use --content FILE)',
  },

  'revocation.problem.embeddedOcsp': {
    fr: 'réponse OCSP incluse : {error}',
    en: 'embedded OCSP: {error}',
  },
  'revocation.problem.embeddedCrl': {
    fr: 'liste de révocation incluse : {error}',
    en: 'embedded CRL: {error}',
  },
  'revocation.problem.ocspHttp': {
    fr: 'OCSP {url} : réponse HTTP {status}',
    en: 'OCSP {url}: HTTP {status}',
  },
  'revocation.problem.ocspUnusable': {
    fr: 'OCSP {url} : pas de réponse exploitable (statut d’erreur ou illisible)',
    en: 'OCSP {url}: no usable answer (error status or unreadable)',
  },
  'revocation.problem.ocspOtherCertificate': {
    fr: 'OCSP {url} : la réponse ne désigne pas ce certificat',
    en: 'OCSP {url}: the answer does not name this certificate',
  },
  'revocation.problem.ocspNotFresh': {
    fr: 'OCSP {url} : réponse trop ancienne (thisUpdate {at})',
    en: 'OCSP {url}: answer not fresh (thisUpdate {at})',
  },
  'revocation.problem.ocsp': {
    fr: 'OCSP {url} : {error}',
    en: 'OCSP {url}: {error}',
  },
  'revocation.problem.crlHttp': {
    fr: 'liste de révocation {url} : réponse HTTP {status}',
    en: 'CRL {url}: HTTP {status}',
  },
  'revocation.problem.crlOtherIssuer': {
    fr: 'liste de révocation {url} : émise par une autre autorité',
    en: 'CRL {url}: issued by another CA',
  },
  'revocation.problem.crlOutOfDate': {
    fr: 'liste de révocation {url} : périmée (prochaine mise à jour {at})',
    en: 'CRL {url}: out of date (next update {at})',
  },
  'revocation.problem.crl': {
    fr: 'liste de révocation {url} : {error}',
    en: 'CRL {url}: {error}',
  },
  'revocation.error.ocspNotAuthorised': {
    fr: 'la réponse OCSP n’est signée ni par l’émetteur ni par un serveur qu’il a autorisé',
    en: 'OCSP response not signed by the issuer or a responder it authorised',
  },
  'revocation.error.crlUnreadable': {
    fr: 'liste de révocation illisible',
    en: 'unreadable CRL',
  },
  'revocation.error.crlSignature': {
    fr: 'la signature de la liste de révocation ne se vérifie pas avec la clé de l’émetteur',
    en: 'CRL signature does not verify with the issuer key',
  },
  'revocation.problem.noSource': {
    fr: 'le certificat n’indique aucun serveur OCSP ni aucune liste de révocation',
    en: 'the certificate names no OCSP responder or CRL',
  },
}
