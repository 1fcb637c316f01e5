import { expect } from 'chai';
import { ethers } from 'hardhat';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deployRegistry } from '../../service/chain/deploy-registry';
import { DeploymentRecordError, readDeploymentRecord, writeDeploymentRecord } from '../../service/chain/deployment-record';
import { BadgeClassCatalogue__factory } from '../../typechain-types';

describe('deployRegistry: the registry and the badge-class catalogue beside it', function () {
  let directory: string;
  beforeEach(function () {
    directory = mkdtempSync(join(tmpdir(), 'deploy-record-'));
  });
  afterEach(function () {
    rmSync(directory, { recursive: true, force: true });
  });

  it('deploys the catalogue bound to the registry, records its address, and the record reads back', async function () {
    const [deployer, founder] = await ethers.getSigners();
    const record = await deployRegistry(
      deployer,
      [
        {
          did: 'did:web:school.example',
          controller: founder.address,
          role: 1,
          metadataURI: 'https://school.example/org.json',
          metadataHash: ethers.ZeroHash,
        },
      ],
      1,
    );
    expect(record.catalogue).to.be.a('string').and.not.equal(record.registry);
    const catalogue = BadgeClassCatalogue__factory.connect(record.catalogue!, founder);
    expect(await catalogue.registry()).to.equal(record.registry);
    // The founder is an active member of that registry: it publishes through the catalogue.
    await expect(catalogue.publish(ethers.id('a class'), 'https://school.example/class.json'))
      .to.emit(catalogue, 'BadgeClassPublished')
      .withArgs(ethers.id('a class'), 1, 'https://school.example/class.json');
    const file = join(directory, 'deployment.json');
    writeDeploymentRecord(file, record);
    expect(readDeploymentRecord(file)).to.deep.equal(record);
  });

  it('reads a record written before the catalogue existed, and refuses a catalogue that is not an address', function () {
    const old = {
      version: 1,
      chainId: 31337,
      registry: '0x5fbdb2315678afecb367f032d93f642f64180aa3',
      blockNumber: 1,
    };
    const file = join(directory, 'old.json');
    writeFileSync(file, JSON.stringify(old));
    const record = readDeploymentRecord(file);
    expect(record.catalogue).to.equal(undefined);
    expect(record.registry).to.equal('0x5FbDB2315678afecb367f032d93F642f64180aa3');
    writeFileSync(file, JSON.stringify({ ...old, catalogue: 'not an address' }));
    expect(() => readDeploymentRecord(file))
      .to.throw(DeploymentRecordError)
      .with.property('message')
      .that.includes('"catalogue"');
    writeFileSync(
      file,
      JSON.stringify({
        ...old,
        catalogue: '0xe7f1725e7734ce288f8367e1bb143e90bb3f0512',
      }),
    );
    expect(readDeploymentRecord(file).catalogue).to.equal('0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512');
  });
});
