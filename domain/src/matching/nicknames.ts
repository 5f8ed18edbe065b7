/**
 * First names that are the same person's name in another form: German and
 * international short forms and nicknames (Hans/Johannes, Sepp/Josef,
 * Bob/Robert, Kathi/Katharina), spelling and transliteration variants
 * (Jürgen/Juergen fold alike anyway; Mohammed/Muhammad, Sergej/Sergei) and
 * the same name across languages (Johann/John/Giovanni/Jan).
 *
 * Each line is one group; any two names of a group are variants of each
 * other. A name may sit in several groups ("Toni": Anton and Antonia). The
 * first name of a group is its canonical form, used for blocking keys.
 * Names are folded with `foldName` when the table is built, so write them as
 * people do.
 */
import { foldText } from '../normalize';

// prettier-ignore
const groups: string[] = [
  // German and international male names
  'Johannes Hans Johann Hannes Hansi Jo Jan John Johnny Jack Jens Jonny Giovanni Juan João Ivan Iwan Jean Jon Sean Hanno Hänschen',
  'Josef Joseph Sepp Seppl Sepp Jupp Joe Joey Józef Giuseppe José Pepe Beppe Josip Jos',
  'Robert Bob Bobby Rob Robbie Robby Bert Roberto Rupert Ruprecht Robin',
  'Alexander Alex Alexandre Alessandro Sascha Sasha Xander Sandro Alejandro Aleksander Aleksandr Oleksandr Lex Aleks',
  'Jürgen Juergen Jurgen Jörg Joerg Jorg Georg Jörgen',
  'Georg George Georgios Jorge Giorgio Schorsch Jerzy Jiří Yuri Juri Jurij Gregor',
  'Wilhelm Willi Willy William Will Bill Billy Wim Willem Guillaume Guillermo Guglielmo Liam Wil Helm',
  'Friedrich Fritz Fred Frieder Fiete Freddy Frederick Frederik Federico Frédéric Fredrik Friedel',
  'Heinrich Heinz Hinrich Henry Henri Hank Harry Heini Hein Enrico Enrique Henrik Hendrik Henk Heiko Hinnerk',
  'Karl Carl Kalle Charles Charlie Chuck Carlos Carlo Karel Karol Carsten Karsten',
  'Michael Michi Micha Mike Mick Mickey Michel Michele Miguel Mikael Michał Mikhail Michail Mischa Misha Mikko Maik Meik',
  'Thomas Tom Tommy Thommy Tomasz Tomas Tomás Tommaso Thom Tomek Tomi',
  'Stefan Stephan Steffen Steven Stephen Steve Stevie Étienne Esteban Stefano Stepan Stipe Steff',
  'Christian Chris Christoph Christof Christopher Kristian Krzysztof Cristiano Christiaan Kris Kit Chrischi',
  'Christoph Christof Christopher Kristof Krzysztof Cristoforo Toph',
  'Andreas Andi Andy Andrew Drew André Andre Andrea Andrzej Andrés Andrei Andrej Ander Andries',
  'Matthias Mathias Matthäus Matthew Matt Matze Mathis Mattis Matteo Mateusz Mateo Mathieu Matthieu Matija Matti Thias Hias',
  'Nikolaus Niklas Nicolas Nicholas Nick Nicky Klaus Claus Nico Niko Nils Niels Nikola Nikolai Mikołaj Nicola Colin Klaas',
  'Klaus Claus Klausi Nikolaus',
  'Peter Pete Piet Pierre Pietro Pedro Piotr Petr Pjotr Peer Per Pit Petrus Peeter',
  'Paul Paulo Pablo Paolo Pavel Paweł Pál Pauli Paule',
  'Franz Franzl Frank Francis Franziskus François Francesco Francisco Franco Frans Franek Frankie Ferenc',
  'Wolfgang Wolf Wolfi Wolle',
  'Bernhard Bernd Bernard Berni Bernie Bernardo Bernat Bernt',
  'Gerhard Gerd Gert Gerard Gerardo Gerry Gerrit',
  'Dietrich Dieter Didi Dirk Derek Dietz Thierry',
  'Ludwig Louis Lutz Luis Luigi Lewis Lou Ludovico Ludovic Lajos Ludek',
  'Eberhard Ebi Ebbe Eberle',
  'Rudolf Rudolph Rudi Rudy Rodolfo Dolf Rolf',
  'Adolf Adi Dolf',
  'Leopold Leo Poldi Pold Leopoldo',
  'Leonhard Leonard Leo Lenny Leon Leonardo Lennart Lenz Leonid',
  'Konrad Conrad Conny Kurt Curt Konni Corrado',
  'Benjamin Ben Benni Benny Benji Beniamino',
  'Maximilian Max Maxi Maxim Maximilien Massimo Maksymilian Maksim Maxime',
  'Sebastian Basti Sebi Bastian Seb Sébastien Sebastiano Sebastián',
  'Tobias Tobi Toby Tobiasz',
  'Florian Flo Flori Florent',
  'Patrick Patric Pat Paddy Patrice Patrizio Patricio Patryk',
  'Timotheus Timo Tim Timothy Timmy Timothée Tymoteusz',
  'Daniel Dan Danny Dani Daniele Danilo Daniil Danijel',
  'David Dave Davy Davide Dawid Davit',
  'Samuel Sam Sammy Samu Samuele',
  'Jakob Jacob Jake Jakub Jacques Giacomo Jaime Jacopo Kuba Jaap Jacky James Jim Jimmy Jamie Diego Santiago',
  'Richard Rick Ricky Rich Richie Dick Ricardo Riccardo Ryszard Rico Ricco',
  'Edward Eduard Ed Eddie Eddy Ted Teddy Edoardo Eduardo Édouard Edi',
  'Anton Antonius Toni Tony Anthony Antonio Antoine Antoni Antek Ante Tonio',
  'Bartholomäus Bartholomew Bart Barthel Bartosz Bartłomiej Bartolomeo',
  'Emanuel Emmanuel Manuel Manu Immanuel Manolo Emanuele',
  'Ignaz Ignatius Nazi Ignacio Ignacy',
  'Augustin Augustinus August Gustl Gust Agostino Agustín',
  'Gustav Gustaf Gustl Gus Gustavo Gustave',
  'Valentin Valentino Valentine Valentijn Walentin Vale Valli',
  'Vinzenz Vincent Vince Vinny Vincenzo Vicente Enzo',
  'Sigmund Siegmund Sigi Siggi',
  'Siegfried Siggi Sigi Fried Friedel',
  'Gottfried Friedl Götz Godfrey Goffredo',
  'Hermann Herrmann Herman Hemmo Armin Ermanno',
  'Ulrich Ulli Uli Ulrik Udo Utz',
  'Reinhard Reinhardt Reiner Rainer Reini Ray Rayner',
  'Bernhardt Bernhard Bernd',
  'Helmut Helmuth Helmi Helle',
  'Walter Walther Walt Wally Walti Gualtiero Valter Wat',
  'Werner Werni',
  'Günther Günter Gunther Gunter Günni Guenther',
  'Manfred Manni Manny Fred',
  'Herbert Herb Herbie Bert',
  'Albert Albrecht Al Albi Bert Alberto Albertus Adalbert',
  'Norbert Norbi Bert',
  'Hubert Hubertus Hubsi Bert Huub Uberto',
  'Engelbert Bert',
  'Lambert Lamberto Bert',
  'Kilian Killian Cillian',
  'Sylvester Silvester Vester Silvestro',
  'Elias Eli Elia Ilias Ilja Ilya Elijah Élie',
  'Gabriel Gabi Gabe Gabriele',
  'Raphael Rafael Rafi Raffaele Rafał Raf',
  'Zacharias Zachary Zach Zack Zac Sacharja',
  'Nathanael Nathaniel Nathan Nat Nate Natanael',
  'Jonathan Jonatan Jon Jonny Johnny Jonas',
  'Frederik Frederick Freddy Fred Rick',
  'Lorenz Laurenz Lars Laurence Lawrence Larry Lorenzo Laurent Wawrzyniec',
  'Martin Martl Marty Martino Martín Marcin Maarten Tino',
  'Markus Marcus Mark Marc Marco Marek Marcos Marko',
  'Lukas Lucas Luke Luca Luc Łukasz Lukáš Luka',
  'Simon Simone Szymon Simeon Sim Simo',
  'Philipp Phillip Philip Phil Pip Philippe Filippo Felipe Filip Lipp',
  'Oliver Olli Olly Olivier Oliviero',
  'Ferdinand Ferdi Nando Fernando Ferdinando Fernand',
  'Theodor Theo Teddy Ted Theodore Fedor Fjodor Teodor Teodoro Todor',
  'Konstantin Constantin Constantine Kostas Kosta Tino Costantino',
  'Dominik Dominic Dominique Domenico Domingo Dom Nick',
  'Benedikt Benedict Bene Benedetto Benito Benoît',
  'Moritz Maurice Morris Maurizio Mauricio Maurits',
  'Jeremias Jeremy Jerry Jeremiah Geremia',
  'Ernst Ernest Ernesto Ernie',
  'Arnold Arnie Arno Arnaud Arnoldo',
  'Oskar Oscar Ossi',
  'Erwin Erwinus Ervin',
  'Egon Eugen Eugene Gene Eugenio Jewgeni Yevgeny Evgeny Zhenya',
  'Sergej Sergei Sergey Serge Sergio Sergiu Serhij',
  'Dmitri Dmitrij Dimitri Dmitry Dima Dimitrios Dimitar',
  'Wladimir Vladimir Volodymyr Wolodymyr Vlad Wolodja Volodya Włodzimierz',
  'Mohammed Mohammad Muhammad Muhammed Mohamed Mehmet Mohamad Mahomet',
  'Ahmed Ahmad Ahmet',
  'Mustafa Mustapha Moustafa',
  'Yusuf Youssef Yousef Josef Joseph',
  'Ibrahim Abraham Ibo Avraham Bram',
  'Süleyman Suleiman Sulaiman Solomon Salomon',
  'Hüseyin Hussein Husein Hossein Huseyin',
  'Ali Aly',
  'Omar Ömer Umar Omer',
  'Ismail Ismael Ishmael',
  'Kevin Kev',
  'Dennis Denis Den Denny',
  'Steffen Stefan Steff',
  'Jannik Yannick Yannik Janik Jan',
  'Lennard Lennart Lenny',
  'Fabian Fabi Fabio Fabien',
  'Julian Jules Julien Giuliano Julián Juliusz Julius',
  'Hieronymus Jérôme Jerome Girolamo',
  'Kaspar Caspar Casper Jasper Gaspard Gaspare Kasper',
  'Balthasar Balthazar Baltazar Balz',
  'Melchior Melchor',
  'Erich Eric Erik Rick',
  'Roland Roli Orlando Rolando',
  'Harald Harold Harry Hal',
  'Gregor Gregory Greg Grzegorz Gregorio Grégoire',
  'Viktor Victor Vic Vittorio Wiktor',
  'Pascal Pasquale Pasqual',

  // Female names
  'Katharina Katharine Katherina Katrin Kathrin Katrina Kathi Kati Käthe Kate Katie Kathy Cathy Catherine Kathleen Katarzyna Kasia Caterina Catarina Katja Katya Trine Catrin',
  'Karin Karina Carina Karen',
  'Elisabeth Elizabeth Elisa Elise Lisa Liesl Liesel Lissy Lisbeth Ilse Elsa Else Elli Elly Betty Beth Sissi Sisi Liz Lizzy Libby Eliza Elżbieta Erzsébet',
  'Isabel Isabella Isabelle Isa Bella',
  'Margarete Margareta Margarethe Margaret Margarita Grete Gretel Gretchen Meta Marga Maggie Meg Peggy Greta Margot Margit Marjorie Daisy Rita Małgorzata Marguerite Margherita',
  'Johanna Hanna Hannah Hanne Hanni Jo Joanna Jana Jane Janet Jeanne Jeannette Giovanna Juana Joan Joanne Ivana Jenny Jennifer',
  'Maria Marie Mary Mimi Mitzi Mizzi Marei Marija Mariya Maryam Mariam Molly Polly Marieke Mareike',
  'Maja Maya',
  'Miriam Mirjam Meryem Maryam',
  'Anna Anne Anni Annie Änne Anka Ann Ania Ana Annette Nancy',
  'Anja Anya Anjuschka',
  'Annika Anneke Anouk',
  'Barbara Babs Bärbel Barbi Babette Basia',
  'Susanne Susanna Susann Susan Susi Suse Sue Suzy Suzanne Zuzanna Susana Sanne',
  'Franziska Fränzi Franzi Frances Fanny Francesca Françoise Francisca Franca Frannie',
  'Christine Christina Kristina Kristin Christin Christiane Tina Chris Christa Krista Kirsten Kerstin Stine Tine Cristina Krystyna Kirstin',
  'Gabriele Gabriela Gabi Gaby Gabrielle Gabriella Ella',
  'Magdalena Magdalene Lena Leni Magda Madeleine Madeline Maddy Madlen Magdalene',
  'Helena Helene Lena Leni Ellen Elena Ella Elaine Eileen Hélène Jelena Yelena Alena Ilona Lenka Nelli Nelly',
  'Alexandra Alex Alexa Sandra Sandy Sascha Sasha Ola Aleksandra Alessandra Alejandra Xandra',
  'Stefanie Stephanie Steffi Steph Stefania Stéphanie Fanny',
  'Petra Petronella Pet Piera Pierina',
  'Ursula Uschi Ulla Urs Orsolya Urszula',
  'Dorothea Dorothee Dorothy Dora Doris Dörte Dorte Dotty Thea Dolly Doro',
  'Theresa Therese Teresa Tess Tessa Resi Resl Terry Tracy Teresia Thereza',
  'Rosemarie Rosemary Rosi Rosa Rose Rosie Rosalie Rosalia',
  'Friederike Frederike Rike Frieda Frida Freddie Rieke',
  'Wilhelmine Wilma Minna Mina Helmi Willa',
  'Adelheid Heidi Adelaide Alice Alix Adele Ada',
  'Gertrud Gertrude Trude Trudi Gerti Gertraud Traudl',
  'Hildegard Hilde Hildi Hilda',
  'Brigitte Birgit Bridget Gitte Gitti Britta Brigitta Brigida',
  'Cornelia Conny Connie Nele Cornelie',
  'Veronika Veronica Vroni Vera Nicki Véronique Weronika',
  'Agnes Agnieszka Nessa Inès Inés Ines Agnese',
  'Claudia Claudine Claude Klaudia',
  'Julia Julie Juli Jule Giulia Julija Julianna Juliane Juliana Julietta Juliette',
  'Caroline Carolin Karoline Carolina Karolina Caro Carol Carrie Lina Line Karla Carla',
  'Jacqueline Jacky Jackie Jacquelyn Jaqueline',
  'Nicole Nicola Nikola Nicky Nici Niki Nicoletta Nikoletta Colette',
  'Daniela Dani Danielle Daniella Danuta',
  'Manuela Manu Emanuela Emmanuelle Manola',
  'Michaela Micha Michelle Michela Michèle Mikaela Ella Micaela',
  'Patricia Patrizia Pat Patty Trish Tricia Patrycja',
  'Angelika Angelica Angela Angie Geli Angelique Angélique Anjelika',
  'Beatrix Beatrice Bea Trixi Trixie Beate Beatriz',
  'Charlotte Lotte Lotti Charly Carla Lottie Charlie Carlota Carlotta Karla',
  'Eleonore Eleonora Eleanor Ellie Nora Lore Lora Leonore Lenore Elnora',
  'Luise Louise Lou Lulu Luisa Louisa Ludwika Lucie',
  'Emilie Emily Emilia Emmi Emmy Mila Millie Emma Emilija',
  'Sophie Sofie Sophia Sofia Zofia Sonja Sonia Sonya Fifi Zosia',
  'Sara Sarah Sally Sadie Sarina Zara',
  'Eva Eve Evi Evchen Ewa Evita Evelyn Eveline Evelina',
  'Ingrid Inga Inge Ingeborg Ina',
  'Renate Renata Reni René Renée',
  'Monika Monica Moni Mona Monique',
  'Sabine Sabina Bine Biene Sabienne',
  'Silvia Sylvia Silvi Sylvie Sylwia',
  'Natalie Nathalie Natalia Natascha Natasha Nata Talia Natálie',
  'Tatjana Tatiana Tanja Tanya Tania Tatyana',
  'Svetlana Swetlana Sveta Lana',
  'Jekaterina Ekaterina Yekaterina Katja Katya Katarina',
  'Olga Olya Olha Helga',
  'Ludmila Ludmilla Mila Lyudmila',
  'Irina Irene Irena Irene Ira Irén Irini',
  'Rebekka Rebecca Becky Beka Rebeca',
  'Hedwig Hedi Hede Jadwiga Hedy',
  'Mathilde Matilda Mathilda Tilly Tilda Tilde Hilde',
  'Ottilie Otti Tilli Odile',
  'Henriette Henrietta Jette Hetty Yvette',
  'Antonia Toni Tonia Antonella Antje Antoinette Tonja',
  'Josefine Josephine Josefa Josepha Fina Pepa Josi Jo Giuseppina Józefa',
  'Leonie Leonia Leona Léonie',
  'Valentina Vali Valentine Walentina Tina',
  'Amalie Amalia Amelia Amélie Amelie Mali Malie',
  'Karoline Caroline Lina',
  'Lieselotte Liselotte Lilo Lotte Liesel',
  'Hannelore Hanne Lore Hanni',
  'Annemarie Anne Marie Annemie Ami',
  'Marlene Marlena Marleen Lene',
  'Fatma Fatima Fatime Fatimah',
  'Aisha Ayse Ayşe Aische Aischa Ayesha',
  'Emine Emina Amina Aminah',
  'Zeynep Zainab Zaynab Zeinab',
  'Meryem Meriem Maryam Miriam Mariam',
  'Elif Elifnur',
  'Jennifer Jenny Jenni Jen Jenna',
  'Jessica Jessi Jessy Jess Jessika',
  'Vanessa Nessa Nessi Vanni',
  'Victoria Viktoria Vicky Vicki Tori Wiktoria',
  'Kimberly Kim Kimmy',
  'Deborah Debora Debbie Debby Deb',
  'Abigail Abby Gail',
  'Virginia Ginny Ginger',
  'Dominika Dominique Domenica Nika',
  'Larissa Lara Lari',
  'Melanie Mel Melli Mélanie Melania',
  'Bettina Betty Tina',
  'Martina Tina Marti',
  'Paula Paulina Pauline Paola Pola Paulette',
  'Jana Janina Janine Jannie',
  'Carla Karla Carlotta',
  'Franka Franca Frankie',
  'Michaela Michela Micha',
  'Christiane Christina Christine Tiane',
  'Antonia Antonina Toni',
  'Luana Luanna',
  'Joana Joanna Johanna',
  'Kristina Christine Krisztina Kristine',
];

function build(): { groupsOf: Map<string, number[]>; canonical: string[] } {
  const groupsOf = new Map<string, number[]>();
  const canonical: string[] = [];
  groups.forEach((line, index) => {
    const names = [...new Set(line.split(' ').map(foldText).filter(Boolean))];
    canonical.push(names[0]);
    for (const name of names) {
      const list = groupsOf.get(name) ?? [];
      if (!list.includes(index)) list.push(index);
      groupsOf.set(name, list);
    }
  });
  return { groupsOf, canonical };
}

const table = build();

/** Number of name pairs the table knows as variants of each other (for the record). */
export const nicknamePairCount = groups.reduce((sum, line) => {
  const n = new Set(line.split(' ').map(foldText)).size;
  return sum + (n * (n - 1)) / 2;
}, 0);

/**
 * Whether two folded first names are variants of each other (same group), by
 * the whole name or its first word ("hans peter" ~ "johannes").
 */
export function isNameVariant(a: string, b: string): boolean {
  if (a === b) return true;
  const ga = table.groupsOf.get(a) ?? table.groupsOf.get(firstWord(a));
  const gb = table.groupsOf.get(b) ?? table.groupsOf.get(firstWord(b));
  if (!ga || !gb) return false;
  return ga.some((g) => gb.includes(g));
}

/**
 * The canonical form of a folded first name ("hans" → "johanes"): the first
 * name of its first group, or the first word itself when the table does not
 * know it.
 */
export function canonicalFirstName(name: string): string {
  const word = firstWord(name);
  const g = table.groupsOf.get(name) ?? table.groupsOf.get(word);
  return g ? table.canonical[g[0]] : word;
}

/**
 * The other writings of a first name's groups, as people write them
 * ("Hans" → "Johannes", "Johann", "Hannes", …); empty when the table does not
 * know the name. For test data that uses nicknames.
 */
export function firstNameVariants(name: string): string[] {
  const folded = foldText(name);
  const g = table.groupsOf.get(folded) ?? table.groupsOf.get(firstWord(folded)) ?? [];
  const out = new Set<string>();
  for (const index of g)
    for (const writing of groups[index].split(' '))
      if (foldText(writing) !== folded) out.add(writing);
  return [...out];
}

/** Whether the table knows a folded first name. */
export function isKnownFirstName(name: string): boolean {
  return table.groupsOf.has(name);
}

function firstWord(s: string): string {
  const i = s.indexOf(' ');
  return i < 0 ? s : s.slice(0, i);
}
