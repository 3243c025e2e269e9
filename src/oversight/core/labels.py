"""Labels Django makes from the models, translated where they are shown (docs/welsh.md).

Field labels (a form field's or a table column's heading, from a model field's name) and status labels stay
English in the models, so imports matching them, exports, audit rows and frozen publications keep one
wording; the shared form, filter and table templates and `status_tag` translate them as they render them.
These declarations put them in the message catalogue.
"""

from django.utils.translation import gettext_noop

FIELD_LABELS = (
    gettext_noop('Accepted at'),
    gettext_noop('Accepted by'),
    gettext_noop('After'),
    gettext_noop('Answered at'),
    gettext_noop('Answered by'),
    gettext_noop('Assessment'),
    gettext_noop('Audio'),
    gettext_noop('Before'),
    gettext_noop('Catalogue version'),
    gettext_noop('Certificate expires on'),
    gettext_noop('Certificate issued on'),
    gettext_noop('Certification body'),
    gettext_noop('Certification scheme'),
    gettext_noop('Certification step'),
    gettext_noop('Child'),
    gettext_noop('Comment'),
    gettext_noop('Contact for the public'),
    gettext_noop('Content'),
    gettext_noop('Cost per device (£)'),
    gettext_noop('Created by'),
    gettext_noop('DPIA completed on'),
    gettext_noop('DPIA next review due'),
    gettext_noop('Date released'),
    gettext_noop('Declarant name'),
    gettext_noop('Declarant role'),
    gettext_noop('Declared at'),
    gettext_noop('Email domains'),
    gettext_noop('Expected'),
    gettext_noop('Extended until'),
    gettext_noop('Extension reason'),
    gettext_noop('Facial recognition use'),
    gettext_noop('Filename'),
    gettext_noop('Finished at'),
    gettext_noop('First name'),
    gettext_noop('Frozen at'),
    gettext_noop('Frozen by'),
    gettext_noop('Frozen on'),
    gettext_noop('Help text'),
    gettext_noop('Introduction'),
    gettext_noop('Invitation'),
    gettext_noop('Last name'),
    gettext_noop('Last submitted at'),
    gettext_noop('Line'),
    gettext_noop('Manufacturer (as the device reports it)'),
    gettext_noop('Match'),
    gettext_noop('Match confidence'),
    gettext_noop('Narrative'),
    gettext_noop('New value'),
    gettext_noop('Night vision'),
    gettext_noop('Note'),
    gettext_noop('Old value'),
    gettext_noop('Opens at'),
    gettext_noop('Parent'),
    gettext_noop('Postcode'),
    gettext_noop('Preferred language'),
    gettext_noop('Publish as update'),
    gettext_noop('Published at'),
    gettext_noop('Published by'),
    gettext_noop('Raised at'),
    gettext_noop('Raised by'),
    gettext_noop('Recipients group'),
    gettext_noop('Recorded at'),
    gettext_noop('Recorded by'),
    gettext_noop('Reminder cap'),
    gettext_noop('Reminder interval days'),
    gettext_noop('Report'),
    gettext_noop('Response'),
    gettext_noop('Retention period in days'),
    gettext_noop('Revoked'),
    gettext_noop('Revoked by'),
    gettext_noop('Scan'),
    gettext_noop('Section'),
    gettext_noop('Senior Responsible Officer'),
    gettext_noop('Sent at'),
    gettext_noop('Since'),
    gettext_noop('Source url'),
    gettext_noop('Started'),
    gettext_noop('Started at'),
    gettext_noop('Submitted at'),
    gettext_noop('Survey return'),
    gettext_noop('Thermal'),
    gettext_noop('Title'),
    gettext_noop('Tool'),
    gettext_noop('Until'),
    gettext_noop('Updated at'),
    gettext_noop('Uploaded by'),
    gettext_noop('User name'),
    gettext_noop('Video'),
    gettext_noop('What prompted the DPIA'),
    gettext_noop('Withdrawn at'),
    gettext_noop('Withdrawn by'),
)

STATUS_LABELS = (
    gettext_noop('Awaiting review'),
    gettext_noop('Closed'),
    gettext_noop('Discarded'),
    gettext_noop('Done'),
    gettext_noop('Draft'),
    gettext_noop('Failed'),
    gettext_noop('Imported'),
    gettext_noop('Open'),
    gettext_noop('Queued'),
    gettext_noop('Returned with a query'),
    gettext_noop('Running'),
)

# The governance statuses and choices the public transparency page translates as it shows them.
TRANSPARENCY_LABELS = (
    gettext_noop('Certified'),
    gettext_noop('Expires within 90 days'),
    gettext_noop('In date'),
    gettext_noop('Live facial recognition'),
    gettext_noop('No DPIA'),
    gettext_noop('Not certified'),
    gettext_noop('Not used'),
    gettext_noop('Operator-initiated facial recognition'),
    gettext_noop('Retrospective facial recognition'),
    gettext_noop('Review due'),
    gettext_noop('Step 1: desktop certification'),
    gettext_noop('Step 2: full certification (audit and visit)'),
)

# Choice labels the models make, shown by tables (core.tables.ChoiceColumn) and drop-downs (core.forms.govuk_widgets)
# in the page's language; the system categories and designation reasons are declared with the labels the
# published report froze (findings/presentation.py). Not here: the audit history's actions (English on purpose, a
# record) and names that are the same in Welsh (API, SSAIB, IQ Verify, Model).
CHOICE_LABELS = (
    # compliance.Answer.response
    gettext_noop('Met'),
    gettext_noop('Not met'),
    gettext_noop('Partly met'),
    # compliance.Governance.certification_body
    gettext_noop('Another certification body'),
    gettext_noop('NSI (National Security Inspectorate)'),
    # compliance.Governance.dpia_trigger
    gettext_noop('A new system'),
    gettext_noop('A scheduled review'),
    gettext_noop('Another change'),
    gettext_noop('Cameras added, moved or removed'),
    gettext_noop('Facial recognition was introduced'),
    gettext_noop('The system was upgraded'),
    # discovery.DiscoveredDevice.match
    gettext_noop('Accepted into the register'),
    # discovery.Scan.source
    gettext_noop('Demo scan'),
    gettext_noop('Discovery agent (scan token)'),
    gettext_noop('File uploaded in the browser'),
    # jobs.Job.kind
    gettext_noop('Account invitation'),
    gettext_noop('Invitations'),
    gettext_noop('Register import'),
    gettext_noop('Report PDF'),
    gettext_noop('Return receipt'),
    gettext_noop('Returns import'),
    gettext_noop('Scan processing'),
    # organisations.Organisation.kind
    gettext_noop('Law enforcement agency'),
    gettext_noop('Local authority'),
    gettext_noop('Other public body'),
    gettext_noop('Regulator'),
    gettext_noop('Special police force'),
    gettext_noop('Territorial police force'),
    # organisations.Organisation.preferred_language
    gettext_noop('Cymraeg (Welsh)'),
    # register.EquipmentLine.network
    gettext_noop('Connected to the core network'),
    gettext_noop('Isolated'),
    # register.Site.kind
    gettext_noop('Air support base'),
    gettext_noop('Control room'),
    gettext_noop('Custody suite'),
    gettext_noop('Headquarters'),
    gettext_noop('Police station'),
    gettext_noop('Public space'),
    gettext_noop('Roadside'),
    gettext_noop('Vehicles and mobile'),
    # surveys.Question.kind
    gettext_noop('Any of several choices'),
    gettext_noop('Free text'),
    gettext_noop('Manufacturer lines'),
    gettext_noop('One choice'),
    gettext_noop('Whole number'),
    gettext_noop('Yes, no or not known'),
    # surveys.Return.source
    gettext_noop('Imported file'),
    gettext_noop('Uploaded workbook'),
    gettext_noop('Web form'),
    # vendors.Brand.confidence
    gettext_noop('High'),
    gettext_noop('Low'),
    gettext_noop('Medium'),
    # vendors.Brand.kind
    gettext_noop("Relabel of another maker's products"),
    gettext_noop("Sub-brand of a maker's group"),
    gettext_noop("The maker's own brand"),
    # vendors.CorporateRelation.kind
    gettext_noop('Affiliate'),
    gettext_noop('Joint venture'),
    gettext_noop('Subsidiary'),
    # vendors.ManufacturerName.kind
    gettext_noop('Alias or spelling'),
    gettext_noop('Canonical name'),
    gettext_noop('Former name'),
    gettext_noop('Legal name'),
)

# Help texts the models give their fields, shown under form fields in the page's language (core.forms.govuk_widgets
# translates them); a form's own help texts are marked where the form defines them.
HELP_TEXTS = (
    # compliance.Answer
    gettext_noop('How the system meets the principle, or what is missing.'),
    # compliance.Governance
    gettext_noop('An email address or a telephone number.'),
    gettext_noop('How long images are kept before deletion.'),
    gettext_noop('The law the processing relies on, e.g. Part 3 of the Data Protection Act 2018.'),
    gettext_noop('The specified purpose the system is used for (principle 1).'),
    gettext_noop("e.g. the Surveillance Camera Commissioner's third-party certification."),
    # findings.Report
    gettext_noop(
        'Paragraphs separated by blank lines; "## " starts a heading. State figures with placeholders, such as '
        '{{ response_rate }} or {{ drone.aware }}: a figure typed by hand is checked before publication.'
    ),
    # surveys.Campaign
    gettext_noop('How commands name the campaign, e.g. "police-2022" or "2022".'),
    gettext_noop('The makers of concern the findings of this campaign are counted against.'),
    gettext_noop('The most reminders any one body is sent.'),
    # vendors.ConcernList, vendors.Designation
    gettext_noop('Date the instrument took effect or was published; empty when the sources do not give it.'),
    gettext_noop('Date the maker was named by the list.'),
    gettext_noop('What is covered, e.g. "video surveillance equipment".'),
    # vendors.Manufacturer
    gettext_noop('Canonical name, as findings print it.'),
    gettext_noop('Country of headquarters, in English (e.g. "China", "United States"). Policy rules read it.'),
    gettext_noop('Where the name, legal name and country come from.'),
)
