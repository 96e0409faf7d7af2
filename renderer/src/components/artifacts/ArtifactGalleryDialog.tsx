import type { GalleryRequest } from '../../hooks/gallery-context';
import { ArtifactGallery } from './ArtifactGallery';
import { Modal } from '../common/Modal';

/** The gallery over whatever view opened it, so closing it returns there unchanged. */
export function ArtifactGalleryDialog({
  request,
  onClose,
}: {
  request: GalleryRequest;
  onClose: () => void;
}) {
  return (
    <Modal titleId="artifact-gallery-title" onClose={onClose} className="gallery-dialog">
      <h2 id="artifact-gallery-title">{request.name} across runs</h2>
      <ArtifactGallery
        name={request.name}
        source={request.source}
        runId={request.runId}
        onBack={onClose}
      />
    </Modal>
  );
}
