"""A labelled set of undescribed files: sample documents in the four languages, with what a
careful cataloguer would record for each (title, year, country, type, language, organisations,
places), written down before the rules that infer them were tuned.

Every document here is sample content written for the knowledge base's benchmarks: the people,
organisations, meetings and figures are invented (towns and public bodies are real places and
names). `bench/undescribed_build.py` makes the files; `bench/facets.py` measures the inferred
values against the truth below.

Page text markup: a line starting with ``# `` is the document's heading (set in the largest
type, or the Title style of an office file), ``## `` a sub-heading, ``~ `` small print (a
letterhead or a footer line); other lines are body text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Truth:
    title: str
    year: int | None  # None: the document is undated
    country: tuple[str, ...]  # ISO codes, or EU; empty when it is about no country
    type: str
    language: str
    organisations: tuple[str, ...]
    places: tuple[str, ...]  # English names of the towns and regions it is about


@dataclass(frozen=True)
class Sample:
    """One file of the set: its nondescript name, its form and its pages."""

    name: str
    #: pdf, scan (image-only PDF), slides (landscape PDF), docx, odt, md, html, txt
    form: str
    truth: Truth
    pages: tuple[str, ...]
    #: the file's own metadata: title, author, created (a datetime), producer;
    #: ``template`` for an office file that keeps its template's properties
    meta: dict[str, object] = field(default_factory=dict)
    encoding: str = "utf-8"


NOTE = {
    "bg": "~ Примерен документ за изпитване на базата знания; хората и събитията са измислени.",
    "el": "~ Δείγμα εγγράφου για δοκιμή της βάσης γνώσεων· πρόσωπα και γεγονότα είναι επινοημένα.",
    "pt": "~ Documento de exemplo para testar a base de conhecimento; "
    "pessoas e factos são fictícios.",
    "en": "~ Sample document for testing the knowledge base; people and events are invented.",
}

#: A creation date left by a document template, as python-docx's default template carries.
TEMPLATE_DATE = datetime(2013, 12, 23, 23, 15)


def _t(
    title: str,
    year: int | None,
    country: str,
    doc_type: str,
    lang: str,
    orgs: str = "",
    places: str = "",
) -> Truth:
    split = lambda s: tuple(x.strip() for x in s.split(";") if x.strip())  # noqa: E731
    return Truth(title, year, split(country), doc_type, lang, split(orgs), split(places))


SAMPLES: list[Sample] = [
    # Bulgarian ----------------------------------------------------------------------------
    Sample(
        "scan0001.pdf",
        "scan",
        _t(
            "Протокол № 3 от заседание на работната група по социално предприемачество",
            2023,
            "BG",
            "minutes",
            "bg",
            "Община Габрово; Сдружение „Бъдеще за Габрово“",
            "Gabrovo",
        ),
        (
            "~ ОБЩИНА ГАБРОВО\n"
            "# ПРОТОКОЛ № 3\n"
            "# от заседание на работната група по социално предприемачество\n"
            "Днес, 14 март 2023 г., в заседателната зала на Община Габрово се проведе "
            "заседание на работната група по социално предприемачество.\n"
            "Присъстваха: Мария Петкова, Иван Колев, Десислава Стоянова и представители на "
            "Сдружение „Бъдеще за Габрово“.\n"
            "Дневен ред:\n"
            "1. Отчет за дейността на социалните предприятия в Габрово през 2022 г.\n"
            "2. Обсъждане на общинската програма за подкрепа на социалната икономика.\n"
            "По първа точка г-жа Петкова представи данни за осем социални предприятия, "
            "които наемат хора с увреждания. Работната група реши да предложи общинска "
            "награда за социално предприятие на годината.\n"
            "Габрово, 14 март 2023 г.\n"
            "Протоколист: Иван Колев",
        ),
    ),
    Sample(
        "Document1.docx",
        "docx",
        _t(
            "Стратегия за развитие на социалната икономика в област Пловдив 2024–2028",
            2024,
            "BG",
            "strategic-document",
            "bg",
            "Фондация „Мост към общността“; Областна администрация Пловдив",
            "Plovdiv",
        ),
        (
            "# Стратегия за развитие на социалната икономика в област Пловдив 2024–2028\n"
            "Пловдив, 5 февруари 2024 г.\n"
            "## Въведение\n"
            "Настоящата стратегия е разработена от Фондация „Мост към общността“ съвместно с "
            "Областна администрация Пловдив. Тя определя целите и мерките за развитие на "
            "социалните предприятия в областта за периода 2024–2028 г.\n"
            "В област Пловдив работят 46 социални предприятия, вписани в регистъра по Закона "
            "за предприятията на социалната и солидарната икономика от 2018 г. Повечето от тях "
            "са малки и зависят от проектно финансиране.\n"
            "## Стратегически цели\n"
            "Първата цел е достъп до финансиране чрез местен гаранционен фонд. Втората цел е "
            "обучение на ръководителите на социални предприятия. Третата цел е включване на "
            "социални клаузи в общинските обществени поръчки, по примера на Асен Йорданов "
            "в Карлово и на общините в Ирландия.",
            "## Изпълнение и наблюдение\n"
            "Изпълнението на стратегията се наблюдава от областен съвет, който заседава два "
            "пъти годишно. Всяка година се изготвя доклад за напредъка с показатели за заетост "
            "на уязвими групи и за оборота на социалните предприятия.\n" + NOTE["bg"],
        ),
        meta={"template": True},
    ),
    Sample(
        "doc_final_v2.pdf",
        "pdf",
        _t(
            "Социалните предприятия в Северозападна България: картографиране и препоръки",
            2021,
            "BG",
            "report",
            "bg",
            "Сдружение „Социални иновации Северозапад“",
            "Vidin; Montana; Vratsa",
        ),
        (
            "~ Сдружение „Социални иновации Северозапад“\n"
            "# Социалните предприятия в Северозападна България: картографиране и препоръки\n"
            "## Доклад\n"
            "София, ноември 2021 г.\n"
            "Този доклад представя резултатите от картографирането на социалните предприятия "
            "в областите Видин, Монтана и Враца. Екипът посети 31 организации и проведе "
            "интервюта с ръководителите им през лятото на 2021 г.\n"
            "Основните изводи са, че социалните предприятия в региона са малко на брой, "
            "разчитат на европейски средства и рядко продават услугите си на общините.",
            "## Препоръки\n"
            "Препоръчваме създаването на регионален център за подкрепа във Враца, обучение "
            "по управление на финансите и партньорство с общините Видин и Монтана при "
            "възлагането на социални услуги. Опитът на Португалия с фондовете за резултати "
            "също може да бъде полезен.\n" + NOTE["bg"],
        ),
        meta={
            "title": "Microsoft Word - doc_final_v2.docx",
            "created": datetime(2021, 11, 18, 9, 30),
            "producer": "Microsoft: Print To PDF",
        },
    ),
    Sample(
        "notes.txt",
        "txt",
        _t(
            "Протокол от среща на партньорите във Варна",
            2022,
            "BG",
            "minutes",
            "bg",
            "BCause Foundation; Община Варна",
            "Varna",
        ),
        (
            "Протокол от среща на партньорите във Варна\n\n"
            "Дата: 22.09.2022\n"
            "Място: Варна, сградата на Община Варна\n\n"
            "Присъстваха: представители на Фондация BCause, на Община Варна и на четири "
            "социални предприятия от региона.\n\n"
            "1. Беше обсъден планът за обучения за социални предприемачи през есента.\n"
            "2. Фондация BCause ще подготви покана за малки дарения за социални предприятия.\n"
            "3. Следващата среща ще бъде в началото на декември.\n\n"
            "Протоколът е изготвен от Елена Маринова.\n\n" + NOTE["bg"][2:],
        ),
        encoding="cp1251",
    ),
    Sample(
        "export.html",
        "html",
        _t(
            "Нов център за подкрепа на социални предприятия отваря врати в Русе",
            2022,
            "BG",
            "news",
            "bg",
            "Община Русе",
            "Ruse",
        ),
        (
            "# Нов център за подкрепа на социални предприятия отваря врати в Русе\n"
            "Публикувано на 12 октомври 2022\n"
            "Община Русе откри център за подкрепа на социални предприятия в сградата на "
            "бившето училище в квартал Възраждане. Центърът ще предлага консултации, обучения "
            "и помощ при кандидатстване за финансиране.\n"
            "По думите на кмета, до края на годината в центъра ще работят трима консултанти. "
            "Първото обучение е за младежи, които искат да започнат собствено социално "
            "предприятие.\n" + NOTE["bg"],
        ),
        meta={"title": "Новини | Общински портал"},
    ),
    Sample(
        "untitled.md",
        "md",
        _t(
            "Модул 2: Бизнес модели на социалните предприятия",
            2023,
            "BG",
            "training-material",
            "bg",
            "Reach for Change Bulgaria",
            "",
        ),
        (
            "# Модул 2: Бизнес модели на социалните предприятия\n"
            "Учебен материал за обучението на социални предприемачи, юни 2023 г.\n"
            "## Цели на модула\n"
            "След модула участниците могат да опишат бизнес модела на своето социално "
            "предприятие, да отделят социалната мисия от източниците на приходи и да изберат "
            "подходяща правна форма в България.\n"
            "## Упражнение\n"
            "Разделете се на групи по трима. Всяка група описва едно социално предприятие: "
            "кои са клиентите, кои са хората, на които помага, и откъде идват приходите.\n"
            "Материалът е подготвен с подкрепата на Reach for Change България.\n" + NOTE["bg"],
        ),
    ),
    Sample(
        "prez.pdf",
        "slides",
        _t(
            "Финансиране на социални иновации: възможности по ЕСФ+",
            2022,
            "BG",
            "presentation",
            "bg",
            "Bulgarian Center for Not-for-Profit Law",
            "Burgas",
        ),
        (
            "# Финансиране на социални иновации: възможности по ЕСФ+\n"
            "Български център за нестопанско право\n"
            "Бургас, 8 юни 2022",
            "## Какво е ЕСФ+\n"
            "Европейският социален фонд плюс финансира заетост, социално включване и "
            "социални иновации в периода 2021–2027.",
            "## Възможности за социалните предприятия\n"
            "Безвъзмездна помощ за нови услуги\nОбучения на служители\nПодкрепа за "
            "партньорства с общините",
            "## Благодарим за вниманието!\nВъпроси и коментари\n" + NOTE["bg"],
        ),
        meta={"title": "PowerPoint Presentation", "created": datetime(2022, 6, 7, 16, 0)},
    ),
    Sample(
        "file (3).odt",
        "odt",
        _t(
            "Законът за социалната и солидарната икономика пет години по-късно",
            2023,
            "BG",
            "policy-brief",
            "bg",
            "Bulgarian Center for Not-for-Profit Law",
            "",
        ),
        (
            "# Законът за социалната и солидарната икономика пет години по-късно\n"
            "## Аналитична записка\n"
            "Септември 2023 г.\n"
            "Законът за предприятията на социалната и солидарната икономика беше приет през "
            "2018 г. Пет години по-късно в регистъра са вписани едва около 200 предприятия, "
            "а мерките за подкрепа почти не се прилагат.\n"
            "Български център за нестопанско право предлага три промени: по-ясни критерии за "
            "вписване, данъчни облекчения за реинвестираната печалба и задължение на "
            "министерствата да отчитат възложените на социални предприятия поръчки.\n" + NOTE["bg"],
        ),
        meta={"title": "Normal"},
    ),
    # Greek ----------------------------------------------------------------------------------
    Sample(
        "SCAN_0042.pdf",
        "scan",
        _t(
            "Πρακτικά συνεδρίασης της Επιτροπής Κοινωνικής Οικονομίας",
            2022,
            "CY",
            "minutes",
            "el",
            "Δήμος Λεμεσού; Σύνδεσμος Κοινωνικών Επιχειρήσεων Λεμεσού",
            "Limassol",
        ),
        (
            "~ ΔΗΜΟΣ ΛΕΜΕΣΟΥ\n"
            "# ΠΡΑΚΤΙΚΑ ΣΥΝΕΔΡΙΑΣΗΣ\n"
            "# της Επιτροπής Κοινωνικής Οικονομίας\n"
            "Λεμεσός, 2 Μαΐου 2022\n"
            "Παρόντες: Ανδρέας Χριστοδούλου, Ελένη Παπαδοπούλου, Μάριος Γεωργίου και "
            "εκπρόσωποι του Συνδέσμου Κοινωνικών Επιχειρήσεων Λεμεσού.\n"
            "Θέμα 1: Η Επιτροπή ενημερώθηκε για τις έξι κοινωνικές επιχειρήσεις που "
            "εγγράφηκαν στο μητρώο της Κύπρου μέσα στο 2021.\n"
            "Θέμα 2: Αποφασίστηκε η διοργάνωση ημερίδας για τις δημόσιες συμβάσεις με "
            "κοινωνικούς όρους τον Ιούνιο.\n"
            "Η συνεδρίαση έληξε στις 19:30.\n"
            "Ο Γραμματέας: Μάριος Γεωργίου",
        ),
    ),
    Sample(
        "Έγγραφο1.docx",
        "docx",
        _t(
            "Έκθεση αξιολόγησης του προγράμματος κοινωνικής ένταξης στη Λάρνακα",
            2021,
            "CY",
            "report",
            "el",
            "Δήμος Λάρνακας",
            "Larnaca",
        ),
        (
            "# Έκθεση αξιολόγησης του προγράμματος κοινωνικής ένταξης στη Λάρνακα\n"
            "Λάρνακα, 15 Ιουνίου 2021\n"
            "## Περίληψη\n"
            "Η έκθεση αξιολογεί το πρόγραμμα κοινωνικής ένταξης που υλοποίησε ο Δήμος "
            "Λάρνακας από το 2018 έως το 2020. Στο πρόγραμμα συμμετείχαν 140 άνεργοι, από τους "
            "οποίους οι 52 βρήκαν εργασία σε κοινωνικές επιχειρήσεις της πόλης.\n"
            "## Συμπεράσματα\n"
            "Το πρόγραμμα πέτυχε τους στόχους του για την απασχόληση, αλλά η χρηματοδότηση "
            "ήταν αβέβαιη. Προτείνεται η σύνδεση με το Ευρωπαϊκό Κοινωνικό Ταμείο+ και η "
            "συνεργασία με κοινωνικές επιχειρήσεις της Αθήνας που έχουν παρόμοια εμπειρία.\n"
            + NOTE["el"],
        ),
        meta={"template": True},
    ),
    Sample(
        "doc2.pdf",
        "pdf",
        _t(
            "Οδηγός ίδρυσης Κοινωνικής Συνεταιριστικής Επιχείρησης",
            2019,
            "GR",
            "training-material",
            "el",
            "Πανεπιστήμιο Μακεδονίας",
            "Thessaloniki",
        ),
        (
            "~ Πανεπιστήμιο Μακεδονίας · Εκπαιδευτικό υλικό\n"
            "# Οδηγός ίδρυσης Κοινωνικής Συνεταιριστικής Επιχείρησης\n"
            "Θεσσαλονίκη, Οκτώβριος 2019\n"
            "## Ενότητα 1: Τι είναι η Κοιν.Σ.Επ.\n"
            "Η Κοινωνική Συνεταιριστική Επιχείρηση είναι αστικός συνεταιρισμός με κοινωνικό "
            "σκοπό, σύμφωνα με τον νόμο 4430/2016. Στη Θεσσαλονίκη λειτουργούν σήμερα "
            "περισσότερες από εκατό τέτοιες επιχειρήσεις.\n"
            "## Ενότητα 2: Τα βήματα της ίδρυσης\n"
            "Χρειάζονται τουλάχιστον πέντε μέλη, καταστατικό και εγγραφή στο Μητρώο "
            "Κοινωνικής και Αλληλέγγυας Οικονομίας. Στο τέλος κάθε ενότητας υπάρχουν "
            "ασκήσεις για τους εκπαιδευόμενους.\n" + NOTE["el"],
        ),
        meta={"title": "odigos_koinsep_v4", "created": datetime(2019, 10, 2, 11, 0)},
    ),
    Sample(
        "index.html",
        "html",
        _t(
            "Νέο κέντρο κοινωνικής καινοτομίας στη Λευκωσία",
            2023,
            "CY",
            "news",
            "el",
            "Centre for Social Innovation",
            "Nicosia",
        ),
        (
            "# Νέο κέντρο κοινωνικής καινοτομίας στη Λευκωσία\n"
            "Δημοσιεύθηκε: 3 Νοεμβρίου 2023\n"
            "Το Κέντρο Κοινωνικής Καινοτομίας άνοιξε νέο χώρο συνεργασίας στο κέντρο της "
            "Λευκωσίας. Ο χώρος θα φιλοξενεί κοινωνικές επιχειρήσεις στα πρώτα τους βήματα και "
            "θα προσφέρει δωρεάν συμβουλές για χρηματοδότηση.\n"
            "Τα εγκαίνια παρακολούθησαν εκπρόσωποι οργανώσεων από όλη την Κύπρο.\n" + NOTE["el"],
        ),
        meta={"title": "Ειδήσεις – Αρχική"},
    ),
    Sample(
        "text.txt",
        "txt",
        _t(
            "Σύνοψη της δημόσιας διαβούλευσης για τις κοινωνικές επιχειρήσεις",
            2020,
            "CY",
            "consultation-summary",
            "el",
            "Υφυπουργείο Κοινωνικής Πρόνοιας",
            "",
        ),
        (
            "Σύνοψη της δημόσιας διαβούλευσης για τις κοινωνικές επιχειρήσεις\n\n"
            "Υφυπουργείο Κοινωνικής Πρόνοιας, Ιανουάριος 2020\n\n"
            "Η διαβούλευση για το νομοσχέδιο για τις κοινωνικές επιχειρήσεις στην Κύπρο "
            "διήρκεσε έξι εβδομάδες. Υποβλήθηκαν 38 γραπτά σχόλια από οργανώσεις, δήμους και "
            "πολίτες.\n\n"
            "Τα περισσότερα σχόλια ζητούσαν σαφέστερο ορισμό της κοινωνικής επιχείρησης "
            "ένταξης και φορολογικά κίνητρα. Αρκετοί συμμετέχοντες αναφέρθηκαν στο παράδειγμα "
            "της Ιταλίας.\n\n" + NOTE["el"][2:],
        ),
    ),
    Sample(
        "ppt_export.pdf",
        "slides",
        _t(
            "Χρηματοδοτικά εργαλεία για κοινωνικές επιχειρήσεις",
            2018,
            "GR",
            "presentation",
            "el",
            "Ίδρυμα Κοινωνικής Καινοτομίας Αττικής",
            "Athens",
        ),
        (
            "# Χρηματοδοτικά εργαλεία για κοινωνικές επιχειρήσεις\n"
            "Ίδρυμα Κοινωνικής Καινοτομίας Αττικής\n"
            "Αθήνα, 21 Μαρτίου 2018",
            "## Πηγές χρηματοδότησης\nΕπιχορηγήσεις\nΜικροπιστώσεις\nΣυμμετοχική χρηματοδότηση",
            "## Το παράδειγμα της Αθήνας\nΤρεις κοινωνικές επιχειρήσεις της πόλης πήραν "
            "δάνεια με εγγύηση από το ταμείο του Δήμου.",
            "## Ευχαριστούμε!\n" + NOTE["el"],
        ),
        meta={"title": "Παρουσίαση1"},
    ),
    Sample(
        "draft.odt",
        "odt",
        _t(
            "Δημόσιες συμβάσεις με κοινωνικούς όρους στην Κύπρο",
            2023,
            "CY",
            "policy-brief",
            "el",
            "SYNTHESIS Center for Research and Education",
            "Nicosia",
        ),
        (
            "# Δημόσιες συμβάσεις με κοινωνικούς όρους στην Κύπρο\n"
            "## Σημείωμα πολιτικής\n"
            "Λευκωσία, 7 Ιουλίου 2023\n"
            "Οι δημόσιες αρχές της Κύπρου σπάνια χρησιμοποιούν κοινωνικούς όρους στις "
            "συμβάσεις τους, παρότι η νομοθεσία το επιτρέπει από το 2016. Το σημείωμα "
            "προτείνει τρία μέτρα: οδηγίες για τις αναθέτουσες αρχές, εκπαίδευση των "
            "υπαλλήλων και δέσμευση ποσοστού των συμβάσεων για κοινωνικές επιχειρήσεις.\n"
            "Το σημείωμα συνέταξε το SYNTHESIS Center for Research and Education.\n" + NOTE["el"],
        ),
    ),
    Sample(
        "form.docx",
        "docx",
        _t(
            "Ερωτηματολόγιο αυτοαξιολόγησης για κοινωνικές επιχειρήσεις",
            None,
            "",
            "tool",
            "el",
            "",
            "",
        ),
        (
            "# Ερωτηματολόγιο αυτοαξιολόγησης για κοινωνικές επιχειρήσεις\n"
            "Απαντήστε σε κάθε ερώτηση με μια βαθμολογία από 1 έως 5.\n"
            "1. Έχει η επιχείρησή σας γραπτή δήλωση κοινωνικής αποστολής;\n"
            "2. Μετράτε τον κοινωνικό αντίκτυπο των δραστηριοτήτων σας;\n"
            "3. Συμμετέχουν οι εργαζόμενοι στις αποφάσεις;\n"
            "4. Επανεπενδύετε τουλάχιστον το μισό των κερδών;\n"
            "5. Έχετε σχέδιο για την ανάπτυξη της επιχείρησης τα επόμενα τρία χρόνια;\n"
            "Στο τέλος, προσθέστε τις βαθμολογίες και συζητήστε τα αποτελέσματα με την ομάδα "
            "σας.\n" + NOTE["el"],
        ),
        meta={"template": True},
    ),
    # Portuguese -----------------------------------------------------------------------------
    Sample(
        "digitalizar0007.pdf",
        "scan",
        _t(
            "Ata n.º 12 da reunião da Direção",
            2021,
            "PT",
            "minutes",
            "pt",
            "Associação para o Desenvolvimento Social de Braga",
            "Braga",
        ),
        (
            "~ Associação para o Desenvolvimento Social de Braga\n"
            "# ATA N.º 12\n"
            "# da reunião da Direção\n"
            "Aos três dias do mês de maio de dois mil e vinte e um, reuniu a Direção da "
            "Associação para o Desenvolvimento Social de Braga, na sua sede.\n"
            "Presentes: Ana Ferreira, João Almeida e Rita Sousa.\n"
            "Ponto um: aprovação das contas de 2020.\n"
            "Ponto dois: candidatura ao programa Parcerias para o Impacto.\n"
            "Nada mais havendo a tratar, foi lavrada a presente ata.\n"
            "Braga, 3 de maio de 2021\n"
            "A Presidente: Ana Ferreira",
        ),
    ),
    Sample(
        "Documento1.docx",
        "docx",
        _t(
            "Relatório de avaliação das Parcerias para o Impacto no Alentejo",
            2020,
            "PT",
            "report",
            "pt",
            "Portugal Social Innovation; Câmara Municipal de Évora",
            "Évora; Alentejo",
        ),
        (
            "# Relatório de avaliação das Parcerias para o Impacto no Alentejo\n"
            "Évora, dezembro de 2020\n"
            "## Sumário\n"
            "Este relatório avalia os projetos apoiados pela Portugal Inovação Social no "
            "Alentejo entre 2017 e 2020. Foram analisados 24 projetos, em parceria com "
            "municípios e fundações, com destaque para a Câmara Municipal de Évora.\n"
            "## Resultados\n"
            "Dois terços dos projetos atingiram as metas de impacto social. Os restantes "
            "tiveram dificuldades em garantir investidores sociais depois do primeiro ano. "
            "Recomenda-se um fundo regional de coinvestimento, como em Espanha.\n" + NOTE["pt"],
        ),
        meta={"template": True},
    ),
    Sample(
        "anexo.pdf",
        "pdf",
        _t(
            "Estratégia Municipal para a Inovação Social do Porto 2023–2027",
            2023,
            "PT",
            "strategic-document",
            "pt",
            "Câmara Municipal do Porto",
            "Porto",
        ),
        (
            "~ Câmara Municipal do Porto\n"
            "# Estratégia Municipal para a Inovação Social do Porto 2023–2027\n"
            "Porto, 20 de março de 2023\n"
            "## 1. Visão\n"
            "O Porto quer ser uma cidade onde as respostas aos problemas sociais nascem da "
            "colaboração entre o município, as organizações da economia social e os cidadãos.\n"
            "## 2. Eixos estratégicos\n"
            "A estratégia assenta em quatro eixos: habitação, envelhecimento ativo, emprego "
            "jovem e ação climática de base comunitária. Cada eixo tem metas para 2027.",
            "## 3. Governação\n"
            "Um conselho municipal para a inovação social acompanha a execução e publica um "
            "relatório anual. A estratégia segue as orientações do Plano de Ação para a "
            "Economia Social da União Europeia de 2021.\n" + NOTE["pt"],
        ),
        meta={
            "title": "Estratégia Municipal para a Inovação Social do Porto 2023–2027",
            "created": datetime(2023, 3, 17, 12, 0),
        },
    ),
    Sample(
        "pagina.html",
        "html",
        _t(
            "Cooperativa de Coimbra recebe prémio de inovação social",
            2022,
            "PT",
            "news",
            "pt",
            "Cooperativa Semear Coimbra",
            "Coimbra",
        ),
        (
            "# Cooperativa de Coimbra recebe prémio de inovação social\n"
            "14 de setembro de 2022\n"
            "A Cooperativa Semear Coimbra foi distinguida com o prémio nacional de inovação "
            "social pelo seu projeto de hortas urbanas com pessoas em situação de sem-abrigo.\n"
            "O projeto começou em 2019 com dez participantes e hoje envolve mais de sessenta. "
            "A cooperativa vende os produtos a restaurantes da cidade.\n" + NOTE["pt"],
        ),
        meta={"title": "Notícias"},
    ),
    Sample(
        "ficheiro.md",
        "md",
        _t(
            "Síntese da consulta pública sobre títulos de impacto social",
            2019,
            "PT",
            "consultation-summary",
            "pt",
            "Portugal Social Innovation",
            "Lisbon",
        ),
        (
            "# Síntese da consulta pública sobre títulos de impacto social\n"
            "Lisboa, 30 de outubro de 2019\n"
            "A Estrutura de Missão Portugal Inovação Social recebeu 57 contributos na consulta "
            "pública sobre os títulos de impacto social.\n"
            "## Principais contributos\n"
            "- Os participantes pedem mais tempo para medir resultados.\n"
            "- Os investidores sociais querem regras claras de pagamento.\n"
            "- As autarquias querem participar como financiadoras de resultados.\n" + NOTE["pt"],
        ),
    ),
    Sample(
        "novo.odt",
        "odt",
        _t(
            "Medir o impacto social: módulo de formação para organizações do Algarve",
            2022,
            "PT",
            "training-material",
            "pt",
            "Fundação Casa do Impacto do Algarve",
            "Faro; Algarve",
        ),
        (
            "# Medir o impacto social: módulo de formação para organizações do Algarve\n"
            "Faro, fevereiro de 2022\n"
            "Este módulo de formação apresenta a teoria da mudança e os indicadores de impacto "
            "social. Foi preparado pela Fundação Casa do Impacto do Algarve para as "
            "organizações da economia social da região.\n"
            "## Exercício\n"
            "Escolha um projeto da sua organização e escreva três indicadores de resultado. "
            "Discuta-os com o formador.\n" + NOTE["pt"],
        ),
    ),
    Sample(
        "nota.txt",
        "txt",
        _t(
            "Nota técnica: negócios de impacto na periferia de São Paulo",
            2021,
            "BR",
            "policy-brief",
            "pt",
            "Instituto Vozes da Periferia",
            "São Paulo",
        ),
        (
            "Nota técnica: negócios de impacto na periferia de São Paulo\n\n"
            "Instituto Vozes da Periferia — São Paulo, 10 de agosto de 2021\n\n"
            "Esta nota de política resume o que aprendemos com 40 negócios de impacto nas "
            "periferias de São Paulo. A maioria tem menos de cinco trabalhadores e depende de "
            "crédito informal.\n\n"
            "Recomendamos que a prefeitura crie uma linha de microcrédito e que o Brasil "
            "reconheça os negócios de impacto na lei, como fez Portugal com o estatuto das "
            "cooperativas.\n\n" + NOTE["pt"][2:],
        ),
    ),
    Sample(
        "out.pdf",
        "pdf",
        _t(
            "Recomendações para os centros nacionais de competências em inovação social",
            2023,
            "EU",
            "strategic-document",
            "pt",
            "FUSE consortium",
            "",
        ),
        (
            "# Recomendações para os centros nacionais de competências em inovação social\n"
            "Junho de 2023\n"
            "O consórcio FUSE reuniu a experiência da Bulgária, da Irlanda, de Chipre e de "
            "Portugal na criação de centros nacionais de competências. Estas recomendações "
            "dirigem-se a todos os Estados-Membros da União Europeia.\n"
            "## Recomendações\n"
            "1. Cada centro deve ter uma coordenação nacional estável.\n"
            "2. Os centros devem mapear o ecossistema de inovação social do seu país.\n"
            "3. A Comissão Europeia deve apoiar a cooperação entre centros de vários países.",
            "## Conclusão\n"
            "Os centros nacionais de competências são uma ponte entre as políticas europeias "
            "e os inovadores sociais em cada Estado-Membro.\n" + NOTE["pt"],
        ),
        meta={"created": datetime(2023, 6, 28, 14, 0)},
    ),
    # English --------------------------------------------------------------------------------
    Sample(
        "1234.pdf",
        "pdf",
        _t(
            "Mapping Social Enterprise Support in County Galway",
            2022,
            "IE",
            "report",
            "en",
            "Galway County Council; Western Enterprise Trust",
            "Galway",
        ),
        (
            "~ Western Enterprise Trust\n"
            "# Mapping Social Enterprise Support in County Galway\n"
            "Galway, October 2022\n"
            "## Summary\n"
            "This report maps the organisations that support social enterprises in County "
            "Galway. We interviewed 28 social enterprises and 11 support bodies, including "
            "Galway County Council and the local development companies.\n"
            "Most social enterprises in the county trade locally and rely on grants for a "
            "third of their income. Support is strongest in Galway city and weakest in "
            "Connemara.",
            "## Recommendations\n"
            "A single point of contact for social enterprises, a small loan fund and a peer "
            "network across the west of Ireland would fill the main gaps. Lessons from "
            "Scotland's social enterprise strategy are noted in the annex.\n" + NOTE["en"],
        ),
        meta={"title": "Report", "created": datetime(2022, 10, 20, 8, 0)},
    ),
    Sample(
        "Doc1.docx",
        "docx",
        _t(
            "Minutes of the Steering Group Meeting",
            2023,
            "IE",
            "minutes",
            "en",
            "Cork City Council; Rethink Ireland",
            "Cork",
        ),
        (
            "# Minutes of the Steering Group Meeting\n"
            "Cork City Hall, Thursday 9 February 2023, 10:00\n"
            "Present: Siobhán Murphy (chair), Declan O'Brien, Aoife Walsh, and a representative "
            "of Rethink Ireland.\n"
            "Apologies: Cork City Council's community officer.\n"
            "1. The minutes of the previous meeting were agreed.\n"
            "2. The group reviewed the first year of the social enterprise hub and agreed to "
            "extend its opening hours.\n"
            "3. Cork City Council will report on the procurement pilot at the next meeting.\n"
            "Next meeting: 11 May 2023.\n" + NOTE["en"],
        ),
        meta={"template": True},
    ),
    Sample(
        "page.html",
        "html",
        _t(
            "Dublin social enterprise awards open for entries",
            2021,
            "IE",
            "news",
            "en",
            "Dublin City Council",
            "Dublin",
        ),
        (
            "# Dublin social enterprise awards open for entries\n"
            "Published 1 March 2021\n"
            "Dublin City Council has opened entries for this year's social enterprise awards. "
            "Social enterprises based in the city can apply in four categories, including a new "
            "award for climate action.\n"
            "Entries close at the end of April, and the winners will be announced in June.\n"
            + NOTE["en"],
        ),
        meta={"title": "News & events"},
    ),
    Sample(
        "x.md",
        "md",
        _t(
            "Making ESF+ work for social innovation",
            2022,
            "EU",
            "policy-brief",
            "en",
            "FUSE consortium; European Commission",
            "",
        ),
        (
            "# Making ESF+ work for social innovation\n"
            "Policy brief · May 2022\n"
            "The European Social Fund Plus is the main source of EU funding for social "
            "innovation in the member states. This policy brief by the FUSE consortium asks "
            "the European Commission and the managing authorities to use it better.\n"
            "## What we found\n"
            "In Bulgaria, Ireland, Cyprus and Portugal, calls for social innovation are rare, "
            "short and hard for small organisations to apply for.\n"
            "## What we recommend\n"
            "Managing authorities in every member state should run a permanent call for social "
            "innovation and fund national competence centres.\n" + NOTE["en"],
        ),
    ),
    Sample(
        "scan-2.pdf",
        "scan",
        _t(
            "Letter of support for the national competence centre",
            2022,
            "IE",
            "other",
            "en",
            "Limerick Social Enterprise Network",
            "Limerick",
        ),
        (
            "~ Limerick Social Enterprise Network\n"
            "# Letter of support for the national competence centre\n"
            "12 January 2022\n"
            "Dear colleagues,\n"
            "On behalf of the Limerick Social Enterprise Network, I am writing to support the "
            "proposal for a national competence centre for social innovation in Ireland. Our "
            "members in Limerick would benefit from advice on finance and public procurement.\n"
            "Yours sincerely,\n"
            "Niamh Kelly, Coordinator\n"
            "Limerick, Ireland",
        ),
    ),
    Sample(
        "output.odt",
        "odt",
        _t(
            "Summary of the stakeholder consultation on outcomes funds in Portugal",
            2021,
            "PT",
            "consultation-summary",
            "en",
            "Agency for Development and Cohesion",
            "Lisbon",
        ),
        (
            "# Summary of the stakeholder consultation on outcomes funds in Portugal\n"
            "Lisbon, 25 November 2021\n"
            "The Agency for Development and Cohesion held a consultation with 35 stakeholders "
            "on the design of a national outcomes fund. Participants came from municipalities, "
            "foundations and social investors across Portugal.\n"
            "## Main points\n"
            "Stakeholders supported a fund that pays for measured results in employment and "
            "health, and asked for simple reporting. Several referred to the United Kingdom's "
            "outcomes funds.\n" + NOTE["en"],
        ),
        meta={"title": "output"},
    ),
    Sample(
        "temp.txt",
        "txt",
        _t(
            "Minutes of the transnational partners' meeting",
            2022,
            "EU",
            "minutes",
            "en",
            "SYNTHESIS Center for Research and Education; BCause Foundation; Rethink Ireland; "
            "Portugal Social Innovation",
            "Nicosia",
        ),
        (
            "Minutes of the transnational partners' meeting\n\n"
            "Nicosia, 14-15 September 2022\n\n"
            "Present: SYNTHESIS Center for Research and Education (host), BCause Foundation, "
            "Rethink Ireland and Portugal Social Innovation.\n\n"
            "1. Each partner presented the state of its national competence centre: Bulgaria, "
            "Ireland, Cyprus and Portugal.\n"
            "2. The partners agreed a common outline for the national roadmaps.\n"
            "3. The final conference will take place in Brussels in 2023.\n\n"
            "Action: each partner sends its roadmap draft by 31 October.\n\n" + NOTE["en"][2:],
        ),
    ),
    Sample(
        "ExportedFile.pdf",
        "pdf",
        _t(
            "Governance for community enterprises: a training module",
            2017,
            "GB",
            "training-material",
            "en",
            "Clyde Community Enterprise Trust",
            "Glasgow",
        ),
        (
            "# Governance for community enterprises: a training module\n"
            "Clyde Community Enterprise Trust · Glasgow, April 2017\n"
            "## Session 1: Boards and members\n"
            "This training module helps the boards of community enterprises in Glasgow and the "
            "west of Scotland understand their duties. Each session takes about two hours.\n"
            "## Session 2: Accountability\n"
            "Participants draw up a simple accountability map of their own enterprise and "
            "discuss it in pairs.\n" + NOTE["en"],
        ),
        meta={"title": "ExportedFile", "created": datetime(2017, 4, 3, 9, 0)},
    ),
    Sample(
        "data.pdf",
        "pdf",
        _t(
            "Social impact self-assessment checklist",
            None,
            "",
            "tool",
            "en",
            "",
            "",
        ),
        (
            "# Social impact self-assessment checklist\n"
            "Tick each statement that is true of your organisation.\n"
            "[ ] We have written down the change we want to see.\n"
            "[ ] We collect data on the people we work with.\n"
            "[ ] We ask the people we serve what has changed for them.\n"
            "[ ] We report our social impact to funders once a year.\n"
            "[ ] We use what we learn to change what we do.\n"
            "Count the ticks: four or five means a good foundation for impact measurement.\n"
            + NOTE["en"],
        ),
    ),
    Sample(
        "merged.pdf",
        "pdf",
        _t(
            "Social enterprises in Bulgaria: a review of the national register",
            2020,
            "BG",
            "report",
            "en",
            "Ministry of Labour and Social Policy",
            "Sofia",
        ),
        (
            "# Social enterprises in Bulgaria: a review of the national register\n"
            "Sofia, 30 June 2020\n"
            "## Introduction\n"
            "Bulgaria adopted its law on the social and solidarity economy in 2018, and the "
            "Ministry of Labour and Social Policy keeps the national register of social "
            "enterprises. This review looks at the first 150 entries.\n"
            "## Findings\n"
            "Most registered enterprises are in Sofia, Plovdiv and Varna; a third employ people "
            "with disabilities. Few of them have received the support the law promises.\n"
            + NOTE["en"],
        ),
        meta={"created": datetime(2013, 12, 23, 23, 15), "title": "Normal"},
    ),
]
