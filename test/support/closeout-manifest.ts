import { writePaxlst, type ManifestDraft } from '../../src/core/paxlst/write-paxlst.js';

const nextDay = (day: string) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/**
 * A close-out (boarded) passenger list of one flight JFK -> LHR leaving on `day` and landing the next
 * morning, as a carrier sends it (UN/EDIFACT PAXLST, D05B): departure evidence for its passengers.
 */
export function closeoutManifest(o: {
  readonly flight: string;
  readonly day: string;
  readonly controlRef: string;
  readonly persons: ManifestDraft['persons'];
}): string {
  const { flight, day, controlRef, persons } = o;
  return writePaxlst(
    {
      interchange: {
        sender: 'ZZAPIS',
        senderQualifier: 'ZZ',
        recipient: 'USCSAPIS',
        recipientQualifier: 'ZZ',
        preparedAt: `${day}T21:05`,
        controlRef,
        applicationRef: 'APIS',
        test: false,
        syntax: { identifier: 'UNOA', version: '4' },
      },
      group: null,
      messageRef: 'M1',
      commonAccessRef: `${flight}/${day.replace(/-/g, '').slice(2)}`,
      part: { sequence: 1, final: true },
      directory: 'D05B',
      association: 'IATA',
      documentCode: '266',
      documentId: 'CLOB',
      messageFunctionCode: null,
      transactionRef: null,
      reportingParty: { id: null, name: 'ZZ APIS DESK', phone: null, fax: null, email: null },
      legs: [
        {
          flight,
          carrier: 'ZZ',
          overflight: false,
          modeCode: null,
          vessel: null,
          departurePort: 'JFK',
          departureQualifier: '125',
          departureAt: `${day}T20:40`,
          arrivalPort: 'LHR',
          arrivalQualifier: '87',
          arrivalAt: `${nextDay(day)}T08:55`,
        },
      ],
      persons,
      totals: { passengers: persons.length, crew: null },
    },
    { una: true, lineBreaks: true },
  );
}
